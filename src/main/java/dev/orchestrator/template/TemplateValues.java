package dev.orchestrator.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a template that names a value ({@code "{{ backends }}"}, {@code "{{ r.stdout_lines }}"},
 * {@code "{{ groups['lb'] | default([]) }}"}) into the value itself, a list or a map, rather than
 * its text: Ansible keeps the type of a template that is one expression (its "native" result for
 * {@code loop:}). Used for {@code loop:} and {@code with_items:}. Undefined variables, errors and
 * secrets behave as in {@link TemplateEngine#render} (it is rendered there).
 */
public final class TemplateValues {
  private static final Pattern ONE_EXPRESSION = Pattern.compile("(?s)\\s*\\{\\{(.*)}}\\s*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TemplateValues() {}

  /**
   * Renders {@code template} into a value: when it is one {@code {{ expression }}}, the
   * expression's value (a list, a map, a string, a number, a boolean or null); otherwise its text.
   *
   * @throws TemplateException as {@link TemplateEngine#render}
   */
  public static Object render(TemplateEngine engine, String template, Map<String, Object> vars) {
    Matcher m = ONE_EXPRESSION.matcher(template);
    if (!m.matches() || m.group(1).contains("}}") || m.group(1).contains("{{")) {
      return engine.render(template, vars);
    }
    String json = engine.render("{{ (" + m.group(1).strip() + ") | tojson }}", vars);
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      return engine.render(template, vars);
    }
  }
}
