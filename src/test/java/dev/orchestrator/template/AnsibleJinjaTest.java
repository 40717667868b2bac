package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jinja as Ansible users write it: Python's string methods, Ansible's filters and tests. */
class AnsibleJinjaTest {
  private final TemplateEngine engine = new TemplateEngine();

  private String render(String template, Map<String, Object> vars) {
    return engine.render(template, vars);
  }

  @Test
  void stringMethodsAreJinja2s() {
    // given a string value as a command's output
    Map<String, Object> vars = Map.of("s", " a,b ,c ", "v", "nginx/1.25.3");

    // when Python's str methods are called on it, then they mean what they mean in Python
    assertEquals("b ", render("{{ s.split(',')[1] }}", vars));
    assertEquals("2", render("{{ s.split() | length }}", vars));
    assertEquals("a,b ,c", render("{{ s.strip() }}", vars));
    assertEquals("b ,c", render("{{ s.strip(' ,a') }}", vars));
    assertEquals("a,b ,c ", render("{{ s.lstrip() }}", vars));
    assertEquals("3", render("{{ s.find('b') }}", vars));
    assertEquals("-1", render("{{ s.find('z') }}", vars));
    assertEquals(" z,b ,c ", render("{{ s.replace('a', 'z') }}", vars));
    assertEquals("1.25.3", render("{{ v.split('/', 1)[1] }}", vars));
    assertEquals("True", render("{{ v.startswith('nginx') }}", vars).replace("true", "True"));
    assertEquals("true", render("{{ v.endswith(('.3', '.4')) }}", vars));
    assertEquals("NGINX/1.25.3", render("{{ v.upper() }}", vars));
    assertEquals(
        "nginx 1.25.3 True", render("{{ '{} {} {}'.format('nginx', '1.25.3', true) }}", vars));
    assertEquals("a-b", render("{{ '-'.join(['a', 'b']) }}", vars));
    assertEquals("2", render("{{ v.count('.') }}", vars));
    assertEquals("Nginx/1.25.3", render("{{ v.title() }}", vars));
    assertEquals("true", render("{{ '42'.isdigit() }}", vars));
  }

  @Test
  void aStringMethodKnownAtRunTimeIsCheckedAgainstPythonsStr() {
    // given a registered result's stdout, known at run time only
    Map<String, Object> vars = Map.of("r", RegisteredResult.unknown("r"));

    // when a Python method is called on it, then it is decided at run time; an unknown one is
    // refused
    TemplateException known =
        assertThrows(TemplateException.class, () -> render("{{ r.stdout.find('y') }}", vars));
    assertTrue(known.knownAtRunTime(), known.getMessage());
    TemplateException unknown =
        assertThrows(TemplateException.class, () -> render("{{ r.stdout.finds('y') }}", vars));
    assertTrue(!unknown.knownAtRunTime(), unknown.getMessage());
  }

  @Test
  void ansibleFiltersHaveAnsiblesSemantics() {
    // given structured values
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("d", Map.of("k", "v"));
    vars.put("users", List.of(Map.of("name", "x", "ok", true), Map.of("name", "y", "ok", false)));
    vars.put("e", "");

    // when Ansible's filters are applied, then they give what Ansible gives
    assertEquals(
        "[{\"key\": \"k\", \"value\": \"v\"}]", render("{{ d | dict2items | to_json }}", vars));
    assertEquals("{\"k\": \"v\", \"z\": 1}", render("{{ d | combine({'z': 1}) | to_json }}", vars));
    assertEquals(
        "{\"a\": {\"b\": 1, \"c\": 2}}",
        render(
            "{{ {'a': {'b': 1} } | combine({'a': {'c': 2} }, recursive=true) | to_json }}", vars));
    assertEquals("[1, 2, 3]", render("{{ [1, [2, [3]]] | flatten | to_json }}", vars));
    assertEquals("[1, 2, [3]]", render("{{ [1, [2, [3]]] | flatten(1) | to_json }}", vars));
    assertEquals(
        "x", render("{{ users | selectattr('ok') | map(attribute='name') | join(',') }}", vars));
    assertEquals("True,None,1", render("{{ [true, none, 1] | join(',') }}", vars));
    assertEquals("fallback", render("{{ e | default('fallback', true) }}", vars));
    assertEquals("", render("{{ e | default('fallback') }}", vars));
    assertEquals(
        "b.txt /a", render("{{ '/a/b.txt' | basename }} {{ '/a/b.txt' | dirname }}", vars));
    assertEquals("a<b>c", render("{{ 'abc' | regex_replace('(?P<x>b)', '<\\g<x>>') }}", vars));
    assertEquals("bc", render("{{ 'abc' | regex_search('b.') }}", vars));
    assertEquals("{\"a\": 1}", render("{{ '{\"a\": 1}' | from_json | to_json }}", vars));
    assertEquals(
        "true 1000 0", render("{{ 'on' | bool }} {{ ' 1_000 ' | int }} {{ 'x' | int }}", vars));
    assertEquals("{k: v}\n", render("{{ d | to_yaml }}", vars));
    assertEquals(
        "{\"k\": \"v\"}",
        render("{{ [{'key': 'k', 'value': 'v'}] | items2dict | to_json }}", vars));
  }

  @Test
  void ansibleTestsHaveAnsiblesSemantics() {
    // given a registered result
    Map<String, Object> vars = Map.of("r", Map.of("failed", false, "changed", true));

    // when Ansible's tests are applied, then they decide as Ansible's
    assertEquals(
        "true true false",
        render("{{ r is succeeded }} {{ r is changed }} {{ r is skipped }}", vars));
    assertEquals("true false", render("{{ 'abc' is match('a') }} {{ 'abc' is match('b') }}", vars));
    assertEquals("true", render("{{ 'abc' is search('b') }}", vars));
    assertEquals(
        "true true",
        render("{{ '1.2' is version('1.10', '<') }} {{ '2.0' is version('2', 'ge') }}", vars));
    assertThrows(TemplateException.class, () -> render("{{ 'x' is failed }}", vars));
  }

  @Test
  void backslashesInAnExpressionsStringsAreTextAsInAnsible() {
    // given a regular expression written as Ansible users write it
    Map<String, Object> vars = Map.of("s", "a  b\tc");

    // when rendered, then \s reaches the filter, and \n in a literal is two characters
    assertEquals("a b c", render("{{ s | regex_replace('\\s+', ' ') }}", vars));
    assertEquals("4", render("{{ 'a\\nb' | length }}", vars));
  }

  @Test
  void aNullValueIsDefinedForDefaultAsInJinja2() {
    // given a variable defined as null and one not defined
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("n", null);

    // when default is applied, then only the undefined one gets the default (Jinja2's default)
    assertEquals("x", render("{{ nope | default('x') }}", vars));
    assertEquals("x", render("{{ n | default('x', true) }}", vars));
  }

  @Test
  void listOfAStringGivesItsCharactersAsStringsAsJinja2Does() {
    // given a string (ansible localhost -m debug -a 'msg="{{ x | list | join("-") }} {{ x | list
    // }}"' -e x=Hunter2 prints H-u-n-t-e-r-2 ['H', 'u', 'n', 't', 'e', 'r', '2'])
    Map<String, Object> vars = Map.of("x", "Hunter2", "d", Map.of("k", 1));

    // when list splits it, then its items are one-character strings, not Java characters
    assertEquals("H-u-n-t-e-r-2", render("{{ x | list | join('-') }}", vars));
    assertEquals("[\"H\", \"u\", \"n\"]", render("{{ 'Hun' | list | to_json }}", vars));
    assertEquals("H", render("{{ x | list | first }}", vars));
    assertEquals("k 1-2", render("{{ d | list | join }} {{ [1, 2] | list | join('-') }}", vars));
  }
}
