package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads module arguments of one kind each (a mapping, a number or a template that renders one, a
 * templated value, a condition), checking templates' syntax now; for {@link StepModules} and {@link
 * HostModuleArgs}.
 */
final class ModuleArgReader {
  /** Ansible's boolean spellings ({@code module_utils/parsing/convert_bool.py}). */
  static final java.util.Set<String> BOOLEANS =
      java.util.Set.of("yes", "on", "1", "true", "y", "t", "no", "off", "0", "false", "n", "f");

  private final TemplateEngine templates = new TemplateEngine();

  static YamlMap map(YamlNode node, String module, String example) {
    if (!node.isMapping()) {
      throw node.error(
          "the arguments of '" + module + "' must be a mapping (key: value pairs)",
          example + " (Ansible's k=v form is not read)");
    }
    return node.asMap(module);
  }

  /**
   * An integer argument, or a template that renders one at run time. A text of digits counts as its
   * number, as Ansible's argument spec converts it ({@code type='int'}): {@code k=v} arguments are
   * texts.
   */
  Object number(YamlNode v, String where, String field, int min, int max) {
    boolean digits =
        v.isScalar() && !v.isNull() && v.asString(field).strip().matches("[+-]?\\d{1,9}");
    if (v.isInt() || digits) {
      int n = v.isInt() ? v.asInt(field) : Integer.parseInt(v.asString(field).strip());
      if (n < min || n > max) {
        throw v.error(
            where + ": '" + field + "' must be " + min + " to " + max + ", found " + n,
            "write a number in that range");
      }
      return n;
    }
    String text = v.isScalar() ? v.asString(field) : "";
    if (!TemplateEngine.isTemplate(text)) {
      throw v.error(
          where + ": '" + field + "' must be a number, found '" + text + "'",
          "write e.g. " + field + ": " + Math.max(min, 1));
    }
    check(v, text, where, field);
    return text;
  }

  /** A boolean: YAML's, one of Ansible's spellings, or a template rendering one. */
  Object bool(YamlNode v, String where, String field) {
    if (v.isBoolean()) {
      return v.asBoolean(field);
    }
    String text = v.isScalar() && !v.isNull() ? v.asString(field) : "";
    if (TemplateEngine.isTemplate(text)) {
      check(v, text, where, field);
      return text;
    }
    if (!BOOLEANS.contains(text) && !BOOLEANS.contains(text.toLowerCase(java.util.Locale.ROOT))) {
      throw v.error(
          where + ": '" + field + "' must be true or false, found '" + text + "'",
          "write " + field + ": true");
    }
    return List.of("yes", "on", "1", "true", "y", "t")
        .contains(text.toLowerCase(java.util.Locale.ROOT));
  }

  /** A value whose strings may hold templates (checked now), as plain YAML. */
  Object templated(YamlNode v, String where, String field) {
    Object plain = v.toPlain(field);
    checkAll(v, plain, where, field);
    return plain;
  }

  private void checkAll(YamlNode node, Object value, String where, String field) {
    if (value instanceof String s) {
      check(node, s, where, field);
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(x -> checkAll(node, x, where, field));
    } else if (value instanceof List<?> list) {
      list.forEach(x -> checkAll(node, x, where, field));
    }
  }

  /** Reads a condition (bare or in {@code {{ }}}) and checks its syntax now. */
  String condition(YamlNode c, String where, String field) {
    if (!c.isScalar() || c.isNull()) {
      throw c.error(
          where + ": '" + field + "' must be an expression",
          "write e.g. " + field + ": \"result.rc == 0\"");
    }
    String w = c.asString(field);
    check(c, TemplateEngine.isTemplate(w) ? w : "{{ (" + w + ") }}", where, field);
    return w;
  }

  void check(YamlNode node, String template, String where, String field) {
    if (!TemplateEngine.isTemplate(template)) {
      return;
    }
    try {
      templates.render(template, Map.of());
    } catch (TemplateException e) {
      if (e.undefinedVariable().isEmpty()) {
        throw node.error(
            where + ", '" + field + "': " + e.getMessage(),
            e.hint().orElse("fix the {{ }} / {% %} syntax"));
      }
    }
  }

  /** An argument with choices: one of them, or a template (checked when it renders). */
  void choice(
      YamlMap m,
      YamlNode node,
      String where,
      String key,
      List<String> choices,
      Map<String, Object> args,
      boolean required) {
    Optional<YamlNode> v = m.get(key);
    if (v.isEmpty()) {
      if (required) {
        throw node.error(
            where + " has no '" + key + "'", "write one of: " + String.join(", ", choices));
      }
      return;
    }
    String text = v.get().isScalar() && !v.get().isNull() ? v.get().asString(key) : "";
    if (TemplateEngine.isTemplate(text)) {
      check(v.get(), text, where, key);
    } else if (!choices.contains(text)) {
      throw v.get()
          .error(
              where + ": unknown " + key + " '" + text + "'",
              "write one of: " + String.join(", ", choices));
    }
    args.put(key, text);
  }
}
