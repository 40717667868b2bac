package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * An undefined variable (or a map's missing key) reaching any filter, test or operator is the error
 * "undefined variable 'NAME'", never a value made up from null: {@code rm -rf {{ nope | quote
 * }}/cache} must not become {@code rm -rf ''/cache}. Only {@code default}/{@code d} and the tests
 * {@code defined}/{@code undefined} take it.
 */
class StrictUndefinedTest {
  private static final TemplateEngine ENGINE = new TemplateEngine();

  /** Filters that make an undefined operand optional (Jinja2's rule). */
  private static final Set<String> LENIENT = Set.of("default", "d");

  /** Names the expression language reads as something else than a variable. */
  private static final Set<String> RESERVED =
      Set.of(
          "and",
          "or",
          "not",
          "in",
          "is",
          "if",
          "else",
          "true",
          "false",
          "none",
          "null",
          "True",
          "False",
          "None",
          "div",
          "mod",
          "eq",
          "ne",
          "lt",
          "gt",
          "le",
          "ge",
          "empty",
          "instanceof");

  /** The variables every template here gets: a map, a value defined as null, a string. */
  private static Map<String, Object> vars() {
    Map<String, Object> vars = new HashMap<>();
    vars.put("r", Map.of("rc", 0, "stdout", "ok"));
    vars.put("n", null);
    vars.put("s", "28.0.1");
    return vars;
  }

  @Provide
  Arbitrary<String> filters() {
    return Arbitraries.of(ENGINE.filterNames().stream().filter(f -> !LENIENT.contains(f)).toList());
  }

  @Provide
  Arbitrary<String> allFilters() {
    return Arbitraries.of(List.copyOf(ENGINE.filterNames()));
  }

  @Provide
  Arbitrary<String> undefinedNames() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('A', 'Z')
        .withChars('_')
        .ofMinLength(1)
        .ofMaxLength(12)
        .flatMap(
            head ->
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .numeric()
                    .withChars('_')
                    .ofMaxLength(4)
                    .map(tail -> head + tail))
        .filter(n -> !RESERVED.contains(n) && !vars().containsKey(n));
  }

  private static void assertUndefined(String template, String name) {
    TemplateException e =
        assertThrows(TemplateException.class, () -> ENGINE.render(template, vars()), template);
    assertEquals(Optional.of(name), e.undefinedVariable(), template + ": " + e.getMessage());
    assertEquals("undefined variable '" + name + "'", e.getMessage(), template);
  }

  @Property
  void anUndefinedOperandOfAnyFilterIsAnError(
      @ForAll("filters") String filter, @ForAll("undefinedNames") String name) {
    // given a variable that is defined nowhere, when it goes through any filter but default
    // then the render fails naming it, whatever the filter would make of null
    assertUndefined("rm -rf {{ " + name + " | " + filter + " }}/cache", name);
  }

  @Property
  void anUndefinedArgumentOfAnyFilterIsAnError(
      @ForAll("allFilters") String filter, @ForAll("undefinedNames") String name) {
    // given a defined operand and an undefined argument, default included
    assertUndefined("{{ s | " + filter + "(" + name + ") }}", name);
  }

  @Property
  void aMissingKeyThroughAnyFilterIsAnErrorNamingItsPath(
      @ForAll("filters") String filter, @ForAll("undefinedNames") String key) {
    // given a registered-like map without that key (result.stdot for result.stdout); the key
    // generator may draw one r has ("rc": a defined value, which abs takes happily)
    net.jqwik.api.Assume.that(!((Map<?, ?>) vars().get("r")).containsKey(key));
    assertUndefined("{{ r." + key + " | " + filter + " }}", "r." + key);
  }

  @Property
  void anUndefinedOperandFailsAChainOfFiltersAndAShellCommand(
      @ForAll("filters") String first,
      @ForAll("filters") String second,
      @ForAll("undefinedNames") String name) {
    assertUndefined("{{ " + name + " | " + first + " | " + second + " }}", name);
    TemplateException e =
        assertThrows(
            TemplateException.class,
            () -> ENGINE.renderShell("rm -rf {{ " + name + " | " + first + " }}/cache", vars()));
    assertEquals(Optional.of(name), e.undefinedVariable());
  }

  @Example
  void everyOtherUseOfAnUndefinedVariableIsAnError() {
    for (String t :
        List.of(
            "{{ nope }}",
            "{{ 'a' ~ nope }}",
            "{{ nope ~ 'a' }}",
            "{{ nope + 1 }}",
            "{{ nope == 'x' }}",
            "{{ nope == 1 }}",
            "{{ nope in ['a'] }}",
            "{{ [nope] | join }}",
            "{{ range(nope) }}",
            "{{ nope is number }}",
            "{{ nope is none }}",
            "{{ s is sameas(nope) }}",
            "{% if nope %}y{% endif %}",
            "{% if not nope %}y{% endif %}",
            "{% for x in nope %}{{ x }}{% endfor %}",
            "{% set y = nope %}{{ y | quote }}")) {
      assertUndefined(t, "nope");
    }
    assertUndefined("{% if r.nope %}y{% endif %}", "r.nope");
    assertUndefined("{{ r['nope'] | quote }}", "r.nope");
  }

  @Example
  void defaultAndTheDefinedTestsStillTakeAnUndefinedVariable() {
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("{{ nope | default('') | quote }}", "''");
    expected.put("{{ nope | d('x') | upper }}", "X");
    expected.put("{{ nope | default('a', true) }}", "a");
    expected.put("{{ r.nope | default('z') | quote }}", "z");
    expected.put("{{ nope is defined }}", "false");
    expected.put("{{ nope is not defined }}", "true");
    expected.put("{{ nope is undefined }}", "true");
    expected.put("{{ r.nope is defined }}", "false");
    expected.put("{% if nope is defined %}a{% else %}b{% endif %}", "b");
    expected.put("{% for x in ['a', 'b'] %}{{ x | quote }}{% endfor %}", "ab");
    expected.put("{% set y = 'q' %}{{ y | quote }}", "q");
    expected.put("{{ none is none }}{{ None is none }}", "truetrue");
    expected.put("{{ r.stdout | quote }} {{ r.rc | int + 1 }}", "ok 1");
    expected.forEach((t, out) -> assertEquals(out, ENGINE.render(t, vars()), t));
  }

  @Example
  void aVariableDefinedAsNullIsNotUndefinedAndQuotesAsEmptyAsInAnsible() {
    // Ansible's quote filter: `if a is None: a = u''` (lib/ansible/plugins/filter/core.py)
    assertEquals("rm -rf ''/cache", ENGINE.render("rm -rf {{ n | quote }}/cache", vars()));
    assertEquals("''", ENGINE.render("{% set y = none %}{{ y | quote }}", vars()));
    assertEquals("true", ENGINE.render("{{ n is none }}", vars()));
    // version_compare has no answer for null: refused, not 0
    TemplateException e =
        assertThrows(
            TemplateException.class, () -> ENGINE.render("{{ n | version_compare('1') }}", vars()));
    assertEquals(Optional.empty(), e.undefinedVariable());
    assertTrue(e.getMessage().startsWith("version_compare needs two versions"), e.getMessage());
    assertTrue(e.hint().orElseThrow().contains("default('0')"), e.hint().toString());
  }

  @Example
  void aMissingKeyOfAComputedValueIsNamedAsSuch() {
    TemplateException e =
        assertThrows(
            TemplateException.class, () -> ENGINE.render("{{ {'a': 1}.b | quote }}", vars()));
    assertEquals(Optional.empty(), e.undefinedVariable());
    assertTrue(e.getMessage().startsWith("undefined attribute 'b'"), e.getMessage());
  }

  @Example
  void aConditionOnAnUndefinedVersionIsAnErrorNotFalse() {
    assertUndefined("{% if nope | version_compare('28.0.0') < 0 %}upgrade{% endif %}", "nope");
    assertUndefined("{% if s | version_compare(nope) < 0 %}upgrade{% endif %}", "nope");
  }
}
