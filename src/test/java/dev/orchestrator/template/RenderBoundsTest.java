package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Each bound of a render (README, Input limits) is an error that says which bound, not a hang. */
class RenderBoundsTest {
  /** An engine whose clock stands still: only the bound under test can stop a render. */
  private final TemplateEngine engine = new TemplateEngine(Set.of(), () -> 0L);

  private TemplateException refused(
      TemplateEngine with, String template, Map<String, Object> vars) {
    TemplateException e = assertThrows(TemplateException.class, () -> with.render(template, vars));
    assertTrue(e.hint().orElse("").startsWith("templates are bounded"), e.getMessage());
    return e;
  }

  @Test
  void methodsThatCouldAllocateWithoutBoundAreRefusedByName() {
    // given Java methods a template could call on a string (an attack on issue 22's bounds:
    // 'x'.repeat(2000000000) took 2 GB and validate ended with an OutOfMemoryError, exit 1)
    for (String t :
        List.of(
            "{{ 'x'.repeat(2000000000) | length }}",
            "{{ ('x'.repeat(500000000)).toCharArray() | length }}",
            "{{ 'x'.repeat(1100000000) ~ 'x'.repeat(1100000000) }}",
            "{{ 'x'.getBytes() | length }}")) {
      // when rendered, then refused before the call, naming the method
      TemplateException e =
          assertThrows(TemplateException.class, () -> engine.render(t, Map.of()), t);
      assertTrue(e.getMessage().contains("is not supported in templates"), e.getMessage());
    }
  }

  @Test
  void filtersThatAllocateAsTheirArgumentsSayAreRefusedBeforeTheyRun() {
    // given filters asked to build values far over the bounds (issue 23: 'x' | center(2147483647)
    // allocated about 4 GB, then failed; '%2147483647s' | format, slice and batch did the same)
    for (String t :
        List.of(
            "{{ 'x' | center(2147483647) }}",
            "{{ 'x' | center('2000000') }}",
            "{{ 'x' | indent(2147483647) }}",
            "{{ 'a\nb\nc' | indent(width=600000) }}",
            "{{ '%2147483647s' | format('a') }}",
            "{{ '%-100000000s|%.3f' | format('a', 1.5) }}",
            "{{ '%.99999999999999999999f' | format(1.5) }}",
            "{{ '%1$0100000000d' | format(1) }}",
            "{{ [1] | slice(100000000) | length }}",
            "{{ [1] | batch(100000000, 'x') | length }}",
            "{{ 1.5 | round(100000000) }}")) {
      // when rendered, then refused before the filter runs, naming it and its bound
      TemplateException e = refused(engine, t, Map.of());
      assertTrue(e.getMessage().contains("over its bound"), t + ": " + e.getMessage());
    }
  }

  @Test
  void sizingFiltersWithinTheirBoundsWorkAsInJinja() {
    assertEquals(" x ", engine.render("{{ 'x' | center(3) }}", Map.of()));
    assertEquals("a\n  b", engine.render("{{ 'a\nb' | indent(2) }}", Map.of()));
    assertEquals("  a|1.500", engine.render("{{ '%3s|%.3f' | format('a', 1.5) }}", Map.of()));
    assertEquals("100%", engine.render("{{ '%d%%' | format(100) }}", Map.of()));
    assertEquals("2", engine.render("{{ [1, 2, 3] | slice(2) | length }}", Map.of()));
    assertEquals("2", engine.render("{{ [1, 2, 3] | batch(2, 0) | length }}", Map.of()));
    assertEquals("1.57", engine.render("{{ 1.5678 | round(2) }}", Map.of()));
  }

  @Test
  void methodsThatReadAValueStillWork() {
    assertEquals("2", engine.render("{{ 'a,b'.split(',') | length }}", Map.of()));
    assertEquals(
        "1", engine.render("{% set l = [] %}{% do l.append(1) %}{{ l | length }}", Map.of()));
    assertEquals("v", engine.render("{{ d.get('k') }}", Map.of("d", Map.of("k", "v"))));
  }

  @Test
  void nestedLoopsAreBoundedInIterations() {
    // given three nested loops of 1000: a billion iterations that output nothing
    String t =
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
            + "{% endfor %}{% endfor %}{% endfor %}";

    // when rendered, then the loops stop at the bound, naming it
    TemplateException e = refused(engine, t, Map.of());
    assertTrue(e.getMessage().contains("loops more than 1000000 times"), e.getMessage());
  }

  @Test
  void renderedNodesAreBounded() {
    // given loops whose bodies render more nodes than the bound, in fewer iterations than its bound
    String t =
        "{% for a in range(400) %}{% for b in range(300) %}{% if a %}{% endif %}{% if b %}{% endif %}"
            + "{% endfor %}{% endfor %}";

    TemplateException e = refused(engine, t, Map.of());
    assertTrue(e.getMessage().contains("renders more than 200000 times"), e.getMessage());
  }

  @Test
  void renderTimeIsBoundedOnTheEnginesClock() {
    // given a clock on which each reading is one second later
    AtomicLong now = new AtomicLong();
    TemplateEngine slow = new TemplateEngine(Set.of(), () -> now.getAndAdd(1_000_000_000L));

    // when a template of a few nodes renders, then it passes the time bound at its line
    TemplateException e = refused(slow, "a\n{% for i in range(10) %}{{ i }}{% endfor %}", Map.of());
    assertTrue(e.getMessage().contains("takes longer than 5 seconds"), e.getMessage());
    assertTrue(e.getMessage().contains("(at its line 2)"), e.getMessage());
  }

  @Test
  void outputIsBounded() {
    Map<String, Object> vars = Map.of("kb", "x".repeat(1100));
    TemplateException e = refused(engine, "{% for i in range(1000) %}{{ kb }}{% endfor %}", vars);
    assertTrue(e.getMessage().contains("over a bound"), e.getMessage());
  }

  @Test
  void stringsAreBounded() {
    Map<String, Object> vars = Map.of("sep", "x".repeat(2000));
    TemplateException e = refused(engine, "{{ range(1000) | join(sep) | length }}", vars);
    assertTrue(e.getMessage().contains("over a bound"), e.getMessage());
  }

  @Test
  void listsAreBounded() {
    TemplateException e =
        refused(
            engine,
            "{% set l = [] %}{% for a in range(200) %}{% for b in range(600) %}{% do l.append(b) %}"
                + "{% endfor %}{% endfor %}"
                + "{{ l | length }}",
            Map.of());
    assertTrue(e.getMessage().contains("over a bound"), e.getMessage());
  }

  @Test
  void aValueThatAliasesMakeHugeIsRefusedBeforeRendering() {
    // given a list holding one 4 MiB string three times (what YAML aliases give)
    String big = "x".repeat(4 << 20);
    Map<String, Object> vars = Map.of("many", List.of(big, big, big), "big", big);

    // when a template uses it, then it is refused, naming it; the string alone passes
    TemplateException e = refused(engine, "{{ many | length }}", vars);
    assertTrue(
        e.getMessage().contains("the value of 'many' holds more than 8 MiB"), e.getMessage());
    assertEquals("4194304", engine.render("{{ big | length }}", vars));
  }

  @Test
  void aLongErrorMessageIsCut() {
    Map<String, Object> vars = Map.of("long", "y".repeat(10_000));
    TemplateException e =
        assertThrows(TemplateException.class, () -> engine.render("{{ long * 2 }}", vars));
    assertTrue(e.getMessage().length() < 600, e.getMessage());
    assertTrue(e.getMessage().contains("more characters)"), e.getMessage());
  }

  @Test
  void aCatastrophicRegularExpressionIsStoppedByTheTimeBound() {
    // given a clock on which each reading is one second later, and regular expressions that
    // backtrack exponentially on their subject, beyond what Java's own guard against
    // nested quantifiers stops (a back-reference defeats it; an attack on issue 24's regex filters
    // and tests:
    // a render never ended, the 5-second bound was checked only between template nodes)
    Map<String, Object> vars = Map.of("s", "a".repeat(60) + "!");
    for (String t :
        List.of(
            "{{ s | regex_replace('^(?P<x>a+)+(?P=x)$', 'x') }}",
            "{{ s | regex_search('^((?P<x>a+)+)(b|c)(?P=x)$') }}",
            "{{ s | regex_findall('(.*a){25}!!') }}",
            "{{ s is match('(?P<x>a+)+(?P=x)$') }}",
            "{{ [s] | select('search', '^(?P<x>a|aa)+(?P=x)$') | list }}")) {
      AtomicLong now = new AtomicLong();
      TemplateEngine slow = new TemplateEngine(Set.of(), () -> now.getAndAdd(1_000_000_000L));

      // when rendered, then refused on the time bound well before the expression would end
      TemplateException e =
          Assertions.assertTimeoutPreemptively(
              Duration.ofSeconds(20), () -> refused(slow, t, vars), t);
      assertTrue(e.getMessage().contains("takes longer than 5 seconds"), e.getMessage());
    }
  }
}
