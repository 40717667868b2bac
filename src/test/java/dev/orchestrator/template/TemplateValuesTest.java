package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A template that is one expression renders into its value (a list stays a list). */
class TemplateValuesTest {
  private final TemplateEngine engine = new TemplateEngine();

  @Test
  void oneExpressionKeepsItsListType() {
    // given a list variable and a registered result
    Map<String, Object> vars =
        Map.of("backends", List.of("lb1", "lb 2"), "r", Map.of("stdout_lines", List.of("a", "b")));

    // when templates naming them are rendered as values
    // then the lists come back as lists, and text as text
    assertEquals(List.of("lb1", "lb 2"), TemplateValues.render(engine, "{{ backends }}", vars));
    assertEquals(List.of("a", "b"), TemplateValues.render(engine, " {{ r.stdout_lines }} ", vars));
    assertEquals(List.of(), TemplateValues.render(engine, "{{ nope | default([]) }}", vars));
    assertEquals("lb1-x", TemplateValues.render(engine, "{{ backends[0] }}-x", vars));
  }

  @Test
  void anUndefinedVariableOrARunTimeValueIsAnError() {
    // given an unknown registered shape
    Map<String, Object> vars = Map.of("r", RegisteredResult.unknown("r"));

    // when / then an undefined variable is an error, a registered one is known at run time
    assertThrows(
        TemplateException.class, () -> TemplateValues.render(engine, "{{ nope }}", Map.of()));
    TemplateException e =
        assertThrows(
            TemplateException.class,
            () -> TemplateValues.render(engine, "{{ r.stdout_lines }}", vars));
    assertTrue(e.knownAtRunTime(), e.getMessage());
  }
}
