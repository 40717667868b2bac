package dev.orchestrator.template;

import dev.orchestrator.common.Echo;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a template error as the user reads it: what went wrong in the template's terms, never
 * a Java class name. Jinjava reports an exception raised by a filter, a method or a test by its
 * {@code toString()} ({@code java.lang.IllegalArgumentException: from_json: the text is not JSON});
 * the class name goes, and a failed cast between Java types is said with Python's type names, as
 * Ansible's {@code TypeError} would say it.
 */
final class TemplateErrorText {
  /** What to do next, for an error raised by a filter, method or test on its input. */
  static final String HINT =
      "check the value the filter, method or test is given (a debug: step with var: NAME shows it)";

  private static final Pattern CLASS_PREFIX =
      Pattern.compile("(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?::\\s*|\\b)");

  private static final Pattern CAST =
      Pattern.compile(
          "class (?:[\\w$]+\\.)*([\\w$]+) cannot be cast to class (?:[\\w$]+\\.)*([\\w$]+)[^:]*");

  private static final Map<String, String> PYTHON =
      Map.ofEntries(
          Map.entry("Long", "int"),
          Map.entry("Integer", "int"),
          Map.entry("BigInteger", "int"),
          Map.entry("Double", "float"),
          Map.entry("Float", "float"),
          Map.entry("BigDecimal", "float"),
          Map.entry("String", "str"),
          Map.entry("Boolean", "bool"),
          Map.entry("Comparable", "a comparable value"),
          Map.entry("Number", "a number"),
          Map.entry("Map", "dict"),
          Map.entry("List", "list"));

  private TemplateErrorText() {}

  /**
   * Returns the error for a render error's message: {@code template error: MESSAGE}, cleaned with
   * {@link #HINT} when it named a Java class (a filter's, method's or test's own error reaches the
   * engine as its {@code toString()}).
   */
  static TemplateException error(String message) {
    return namesJava(message)
        ? new TemplateException("template error: " + Echo.escaped(clean(message)), null, HINT)
        : new TemplateException(
            "template error: " + Echo.escaped(message == null ? "" : message), null);
  }

  /** Returns {@code message} without Java class names. */
  static String clean(String message) {
    String text = message == null ? "" : message;
    Matcher cast = CAST.matcher(text);
    StringBuilder out = new StringBuilder();
    while (cast.find()) {
      cast.appendReplacement(
          out,
          Matcher.quoteReplacement(
              "a value of the wrong type: "
                  + python(cast.group(1))
                  + " where "
                  + python(cast.group(2))
                  + " was expected"));
    }
    cast.appendTail(out);
    String cleaned = CLASS_PREFIX.matcher(out).replaceAll("").strip();
    return cleaned.isEmpty() ? "the template failed on a value it was given" : cleaned;
  }

  /** Whether a message names a Java class, so that {@link #clean} changes it. */
  static boolean namesJava(String message) {
    return message != null
        && (CLASS_PREFIX.matcher(message).find() || CAST.matcher(message).find());
  }

  private static String python(String javaType) {
    return PYTHON.getOrDefault(javaType, "a " + javaType.toLowerCase(java.util.Locale.ROOT));
  }
}
