package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code unique} as Ansible's (Jinja2's {@code do_unique} with {@code case_sensitive=False} by
 * default); each expectation was checked with ansible-core 2.14 ({@code ansible localhost -m debug
 * -a 'msg={{ ... }}'}). A random input of {@code JinjaParityIT} found the difference.
 */
class UniqueFilterTest {
  private final TemplateEngine engine = new TemplateEngine();

  private String render(String template, Map<String, Object> vars) {
    return engine.render(template, vars);
  }

  @Test
  void stringsThatDifferOnlyInCaseAreOneUnlessCaseSensitive() {
    Map<String, Object> vars = Map.of("l", List.of("A", "a", "", "b", "B"));
    assertEquals("[\"A\", \"\", \"b\"]", render("{{ l | unique | to_json }}", vars));
    assertEquals(
        "[\"A\", \"a\", \"\", \"b\", \"B\"]",
        render("{{ l | unique(case_sensitive=true) | to_json }}", vars));
  }

  @Test
  void numbersEqualInPythonAreOneAndAttributesCompareItems() {
    assertEquals("[1, 2]", render("{{ [1, 1.0, true, 2] | unique | to_json }}", Map.of()));
    Map<String, Object> vars =
        Map.of("u", List.of(Map.of("n", "X", "i", 1), Map.of("n", "x", "i", 2)));
    assertEquals(
        "[1]",
        render("{{ u | unique(attribute='n') | map(attribute='i') | list | to_json }}", vars));
  }

  @Test
  void unhashableItemsFallBackToEqualityOrFailWhereAnsibleFails() {
    assertEquals("[[1], [2]]", render("{{ [[1], [2], [1]] | unique | to_json }}", Map.of()));
    assertThrows(
        TemplateException.class,
        () -> render("{{ [[1], [1]] | unique(case_sensitive=false) }}", Map.of()));
  }
}
