package dev.orchestrator.template;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The variable names a template mentions, and which of them a render's variables lack. */
final class TemplateNames {
  private static final Pattern IDENT =
      Pattern.compile(
          "(?<![.\\w|'\"])([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)(?!\\w|\\s*\\()");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and", "or", "not", "in", "is", "true", "false", "none", "True", "False", "None", "if",
          "else");

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * The names of templates already read: a plan renders the same templates for every host (issue
   * 23: reading them again was a fifth of planning). Bounded: past {@link #MEMO_SIZE} templates new
   * ones are read each time.
   */
  private static final Map<String, Set<String>> NAMES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The most templates whose names are kept. */
  static final int MEMO_SIZE = 10_000;

  /** Returns the names that the {@code {{ }}} and {@code {% %}} of {@code template} mention. */
  static Set<String> namesIn(String template) {
    Set<String> known = NAMES.get(template);
    if (known != null) {
      return known;
    }
    Set<String> names = Set.copyOf(read(template));
    if (NAMES.size() < MEMO_SIZE) {
      NAMES.put(template, names);
    }
    return names;
  }

  /**
   * Whether {@code template} may use the variable {@code name}: it mentions the name (in its code
   * or a string of it: {@code d['name']}), or a name that reaches every variable ({@code vars},
   * {@code hostvars}). Rendering only those variables' own templates, not every one of the host's,
   * made planning a host up to twice as fast (issue 23).
   */
  static boolean mayUse(String template, String name) {
    Set<String> names = namesIn(template);
    return names.contains(name) || names.contains("vars") || names.contains("hostvars");
  }

  private static Set<String> read(String template) {
    Set<String> names = new java.util.HashSet<>();
    Matcher block = TemplateEngine.BLOCK.matcher(template);
    while (block.find()) {
      Matcher name = NAME.matcher(block.group(1) != null ? block.group(1) : block.group(2));
      while (name.find()) {
        names.add(name.group());
      }
    }
    return names;
  }

  /** Finds the first variable in an expression that is not defined in {@code vars}. */
  static String undefinedIn(String token, Map<String, Object> vars) {
    String missing = findUndefined(token, vars);
    return missing == null ? token.trim() : missing;
  }

  /** Returns the first undefined variable path of an expression, or null when all are defined. */
  @SuppressWarnings("unchecked")
  static String findUndefined(String token, Map<String, Object> vars) {
    // string literals and filter names are not variables; filter arguments are
    String expr =
        token
            .replaceAll("'[^']*'|\"[^\"]*\"", "''")
            .replaceAll("\\|\\s*[A-Za-z_][A-Za-z0-9_]*", " ");
    Matcher m = IDENT.matcher(expr);
    while (m.find()) {
      String path = m.group(1);
      if (KEYWORDS.contains(path)) {
        continue;
      }
      Object current = vars;
      StringBuilder seen = new StringBuilder();
      for (String part : path.split("\\.")) {
        if (seen.length() > 0) {
          seen.append('.');
        }
        seen.append(part);
        if (current instanceof Undefined u && u.isKnownAtRunTime()) {
          break; // rendering it says it is known at run time only
        }
        if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
          return seen.toString();
        }
        current = ((Map<String, Object>) map).get(part);
      }
    }
    return null;
  }

  private TemplateNames() {}
}
