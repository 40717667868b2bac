package dev.orchestrator.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a structured value (a module's argument, a {@code set_fact} value): strings are
 * templates, lists and maps are rendered element by element, and a string that is exactly one
 * variable reference ({@code "{{ r.json }}"}) keeps the variable's value as it is (a list, a map, a
 * number), as Ansible's templating keeps a lone expression's native type. Other templates render to
 * text.
 */
public final class NativeValues {
  private static final Pattern ONE_VARIABLE =
      Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)\\s*}}");

  private NativeValues() {}

  /**
   * Renders {@code value} with {@code vars}.
   *
   * @throws TemplateException on an undefined variable or a syntax error
   */
  public static Object render(TemplateEngine templates, Object value, Map<String, Object> vars) {
    if (value instanceof String s) {
      Matcher m = ONE_VARIABLE.matcher(s.strip());
      if (m.matches()) {
        Object found = lookup(vars, m.group(1));
        if (found instanceof Undefined u) {
          throw u.error();
        }
        if (found != null && !(found instanceof String)) {
          return found;
        }
      }
      return templates.render(s, vars);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, x) -> out.put(templates.render(String.valueOf(k), vars), render(templates, x, vars)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(x -> out.add(render(templates, x, vars)));
      return out;
    }
    return value;
  }

  private static Object lookup(Map<String, Object> vars, String path) {
    Object current = vars;
    for (String part : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
        return null;
      }
      current = map.get(part);
    }
    return current;
  }
}
