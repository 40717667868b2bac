package dev.orchestrator.execute;

import dev.orchestrator.template.NativeValues;
import dev.orchestrator.template.TemplateEngine;
import java.util.Map;
import java.util.Optional;

/**
 * A module's arguments rendered with a host's vars ({@link NativeValues}); numbers that were
 * templates must render as integers.
 */
final class ModuleArgs {
  private final TemplateEngine templates;
  private final Map<String, Object> args;
  private final Map<String, Object> vars;

  ModuleArgs(TemplateEngine templates, Map<String, Object> args, Map<String, Object> vars) {
    this.templates = templates;
    this.args = args;
    this.vars = vars;
  }

  /** Whether the argument is given. */
  boolean has(String key) {
    return args.containsKey(key);
  }

  /** The argument rendered as text, empty when absent. */
  Optional<String> text(String key) {
    Object v = args.get(key);
    return v == null ? Optional.empty() : Optional.of(asText(value(v)));
  }

  /** The argument rendered as an integer, {@code absent} when not given. */
  int number(String key, int absent) {
    Object v = args.get(key);
    if (v == null) {
      return absent;
    }
    return integer(key, value(v));
  }

  /** The argument as a boolean, {@code absent} when not given. */
  boolean flag(String key, boolean absent) {
    Object v = args.get(key);
    return v instanceof Boolean b ? b : absent;
  }

  /** A boolean argument that may be a template rendering {@code true}, {@code yes}, ... */
  static java.util.Optional<Boolean> bool(ModuleArgs args, String key) {
    return args.rendered(key)
        .map(
            v -> {
              if (v instanceof Boolean b) {
                return b;
              }
              String t = ModuleArgs.asText(v).strip().toLowerCase(java.util.Locale.ROOT);
              if (java.util.List.of("yes", "on", "1", "true", "y", "t").contains(t)) {
                return true;
              }
              if (java.util.List.of("no", "off", "0", "false", "n", "f").contains(t)) {
                return false;
              }
              throw new IllegalArgumentException(
                  "'" + key + "' must be a boolean, rendered '" + ModuleArgs.asText(v) + "'");
            });
  }

  /** The argument rendered (strings rendered, lists and maps element by element). */
  Optional<Object> rendered(String key) {
    Object v = args.get(key);
    return v == null ? Optional.empty() : Optional.of(value(v));
  }

  /** The arguments' names in order. */
  Iterable<String> names() {
    return args.keySet();
  }

  /** The raw (unrendered) argument. */
  Object raw(String key) {
    return args.get(key);
  }

  /** An integer from a rendered value. */
  static int integer(String key, Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(asText(value).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + key + "' must be an integer, rendered '" + asText(value) + "'");
    }
  }

  static String asText(Object value) {
    return value == null ? "" : value.toString();
  }

  /** Renders a value ({@link NativeValues}). */
  Object value(Object v) {
    return NativeValues.render(templates, v, vars);
  }
}
