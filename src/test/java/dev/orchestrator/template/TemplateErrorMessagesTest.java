package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every user-facing template error says what went wrong in the user's terms: for each filter,
 * method and test given a bad input, the error names the problem and no Java class ({@code
 * java.lang.IllegalArgumentException:}, {@code ...Exception}).
 */
class TemplateErrorMessagesTest {
  private static final Pattern JAVA = Pattern.compile("java\\.|javax\\.|Exception|\\$");

  private final TemplateEngine engine = new TemplateEngine();

  static List<String> badInputs() {
    return List.of(
        "{{ 'not json' | from_json }}",
        "{{ '{' | from_yaml }}",
        "{{ 1 | combine({'a': 1}) }}",
        "{{ {'a': 1} | combine(5) }}",
        "{{ 'x' | dict2items }}",
        "{{ 'x' | items2dict }}",
        "{{ 'x' | regex_replace('(', 'y') }}",
        "{{ 'x' | regex_search('[') }}",
        "{{ 'x' | regex_findall('(') }}",
        "{{ '%%%' | b64decode }}",
        "{{ 5 | join(',') }}",
        "{{ 'x' | int(base='z') }}",
        "{{ 'x' | map('nosuchfilter') | list }}",
        "{{ [1] | selectattr('a', 'nosuchtest') | list }}",
        "{{ 'a' is version('1', 'bogus') }}",
        "{{ 'a' is match('(') }}",
        "{{ s.split(1, 2, 3) }}",
        "{{ s.format(1, 2, 3) }}",
        "{{ s.nosuchmethod() }}",
        "{{ 1 / 0 }}",
        "{{ 'x' | nosuchfilter }}",
        "{{ 'x' | to_json(indent='z') }}",
        "{{ 'x' | basename(3) }}",
        "{{ none | lower }}",
        "{{ [1, 'a'] | sort }}",
        "{{ 'a' | ternary }}");
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void aBadInputGivesAMessageWithoutJavaClassNames(String template) {
    // given a template that applies a filter, method or test to a bad input
    try {
      // when it is rendered
      engine.render(template, Map.of("s", "text"));
    } catch (TemplateException e) {
      // then the error says what went wrong, without a Java class name
      String shown = e.getMessage() + " " + e.hint().orElse("");
      assertFalse(e.getMessage().isBlank(), template);
      assertFalse(JAVA.matcher(shown).find(), template + " -> " + shown);
      assertTrue(e.getMessage().length() < 1000, template + " -> " + shown);
      return;
    }
    // a bad input that renders (Python would too) is fine: nothing to check
  }

  @org.junit.jupiter.api.Test
  void aValueFromTheHostInAnErrorIsShownEscaped() {
    // given a registered output with an escape sequence that is not JSON
    try {
      // when it is parsed
      engine.render("{{ out | from_json }}", Map.of("out", "x\u001b[2J\nforged"));
    } catch (TemplateException e) {
      // then the error shows its control characters escaped
      assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      return;
    }
    org.junit.jupiter.api.Assertions.fail("not JSON, yet it parsed");
  }
}
