package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateEngineTest {
  private final TemplateEngine engine = new TemplateEngine();

  @Test
  void rendersVariablesAndAttributes() {
    Map<String, Object> vars = Map.of("v", "28.0.1", "r", Map.of("rc", 0, "stdout", "ok"));
    assertEquals("to 28.0.1: ok/0", engine.render("to {{ v }}: {{ r.stdout }}/{{ r.rc }}", vars));
  }

  @Test
  void undefinedVariableIsAnErrorNamingIt() {
    TemplateException e =
        assertThrows(TemplateException.class, () -> engine.render("echo {{ missing }}", Map.of()));
    assertEquals(Optional.of("missing"), e.undefinedVariable());
    TemplateException attr =
        assertThrows(
            TemplateException.class, () -> engine.render("{{ r.stdout }}", Map.of("r", Map.of())));
    assertEquals(Optional.of("r.stdout"), attr.undefinedVariable());
    assertEquals(Optional.of("r"), attr.undefinedRoot());
  }

  @Test
  void anUnknownFilterIsReportedAsOneWithTheNearestFilters() {
    // given a defined variable and a misspelt filter
    Map<String, Object> vars = Map.of("x", "v");

    // when it is rendered, defined or not, in an expression or a tag
    for (String t :
        java.util.List.of(
            "{{ x | uper }}", "{{ missing | uper }}", "{% if x | uper %}a{% endif %}")) {
      TemplateException e = assertThrows(TemplateException.class, () -> engine.render(t, vars));

      // then the filter is named, not an undefined variable 'x | uper', with the near ones
      assertEquals("unknown filter 'uper'", e.getMessage(), t);
      assertEquals(Optional.empty(), e.undefinedVariable(), t);
      assertTrue(e.hint().orElseThrow().contains("did you mean 'upper'"), e.hint().toString());
    }
  }

  @Test
  void pipesOutsideTemplatesAndInsideStringsAreNotFilters() {
    Map<String, Object> vars = Map.of("x", "v");

    assertEquals("v | grep 'a|b'", engine.render("{{ x }} | grep 'a|b'", vars));
    assertEquals("a|nosuch", engine.render("{{ 'a|nosuch' }}", vars));
    assertEquals("{{ x | nosuch }}", engine.render("{% raw %}{{ x | nosuch }}{% endraw %}", vars));
  }

  @Test
  void defaultFilterMakesAVariableOptional() {
    assertEquals("d", engine.render("{{ missing | default('d') }}", Map.of()));
  }

  @Test
  void variablesReferringToVariablesAreRendered() {
    Map<String, Object> vars = Map.of("root", "/srv/nc", "occ", "php {{ root }}/occ");
    assertEquals("php /srv/nc/occ status", engine.render("{{ occ }} status", vars));
  }

  @Test
  void anUnrenderableVariableFailsOnlyTemplatesThatUseIt() {
    Map<String, Object> vars = Map.of("bad", "{{ nope }}", "ok", "x");
    assertEquals("x", engine.render("{{ ok }}", vars));
    TemplateException e =
        assertThrows(TemplateException.class, () -> engine.render("{{ bad }}", vars));
    assertTrue(e.getMessage().contains("in the value of variable 'bad'"), e.getMessage());
    assertEquals(Optional.of("nope"), e.undefinedVariable());
  }

  @Test
  void quoteFilterShellQuotes() {
    assertEquals(
        "rm -rf '/tmp/a b; rm -rf /'",
        engine.render("rm -rf {{ p | quote }}", Map.of("p", "/tmp/a b; rm -rf /")));
    assertEquals("'it'\\''s'", ShellQuote.quote("it's"));
    assertEquals("/plain/path-1.2", ShellQuote.quote("/plain/path-1.2"));
    assertEquals("''", ShellQuote.quote(""));
  }

  @Test
  void evaluatesWhenConditions() {
    Map<String, Object> vars = Map.of("installed", Map.of("stdout", "27.1.11"), "target", "28.0.1");
    assertTrue(engine.evaluate("installed.stdout != target", vars));
    assertFalse(engine.evaluate("installed.stdout == target", vars));
    assertTrue(engine.evaluate("{{ target == '28.0.1' }}", vars));
    assertThrows(TemplateException.class, () -> engine.evaluate("nothing.rc == 0", vars));
  }

  @Test
  void syntaxErrorIsNotAnUndefinedVariable() {
    TemplateException e =
        assertThrows(TemplateException.class, () -> engine.render("{{ x ", Map.of("x", 1)));
    assertTrue(e.undefinedVariable().isEmpty());
  }

  @Test
  void templateErrorsMaskSecretsAndWhatDerivesFromThem() {
    // given a secret declared by a secrets file and one with a secret-looking name
    TemplateEngine declared = new TemplateEngine(java.util.Set.of("apikey"));
    Map<String, Object> vars = Map.of("db_password", "Sup3rSecretValue", "apikey", "Hidd3nK3y");

    // when the templates fail
    for (String t :
        java.util.List.of(
            "{{ db_password * 2 }}",
            "{{ {'a': db_password}[db_password] }}",
            "{{ db_password | truncate(db_password) }}",
            "{{ {'a': apikey}[apikey | upper] }}")) {
      TemplateException e = assertThrows(TemplateException.class, () -> declared.render(t, vars));

      // then the error is still told, with the values masked
      assertTrue(e.getMessage().contains("********"), e.getMessage());
      for (String secret : java.util.List.of("Sup3rSecretValue", "Hidd3nK3y", "HIDD3NK3Y")) {
        assertFalse(e.getMessage().contains(secret), e.getMessage());
      }
    }
  }

  @Test
  void anErrorWithoutSecretsIsToldAsItIs() {
    TemplateException e =
        assertThrows(
            TemplateException.class,
            () -> engine.render("{{ x * 2 }}", Map.of("x", "abc", "db_password", "Sup3rSecret")));
    assertTrue(e.getMessage().contains("'abc'"), e.getMessage());
  }

  @Test
  void aShellCommandThatRendersBlankIsRefused() {
    // given a command that a registered value makes blank at run time
    Map<String, Object> vars = Map.of("r", Map.of("stdout", "  "));

    // when it is rendered to run, then it is refused rather than run as nothing
    TemplateException e =
        assertThrows(TemplateException.class, () -> engine.renderShell("{{ r.stdout }}", vars));
    assertEquals("the command renders empty", e.getMessage());
    org.junit.jupiter.api.Assertions.assertDoesNotThrow(
        () -> engine.renderShell("echo {{ r.stdout }}", vars));
  }

  @Test
  void membershipInAValueNotKnownYetIsNotFalse() {
    // given a registered result whose values the run will know, and no variable 'nope'
    Map<String, Object> vars = Map.of("r", RegisteredResult.unknown("r"));

    // when 'in' asks them, then it is left to the run, or an error, never false
    TemplateException later =
        assertThrows(TemplateException.class, () -> engine.evaluate("'7' in r.stdout", vars));
    assertTrue(later.knownAtRunTime(), later.getMessage());
    TemplateException undefined =
        assertThrows(TemplateException.class, () -> engine.render("{{ '7' in nope }}", vars));
    assertEquals(Optional.of("nope"), undefined.undefinedVariable());
  }
}
