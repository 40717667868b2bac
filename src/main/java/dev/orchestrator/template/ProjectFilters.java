package dev.orchestrator.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters this project adds to Jinjava's: {@code raw}, {@code quote} and {@code
 * version_compare}. They see {@code null} only for a variable defined as null: an undefined one
 * never reaches a filter ({@link Undefined}). Also checks that a template names only filters that
 * exist ({@link #checkKnown}).
 */
final class ProjectFilters {
  private ProjectFilters() {}

  /** Registers the filters in {@code global}, Jinjava's global context. */
  static void register(Context global) {
    filter(global, "raw", (var, args) -> var);
    // a variable defined as null is '' as in Ansible (quote in lib/ansible/plugins/filter/core.py)
    filter(
        global, "quote", (var, args) -> ShellQuote.quote(var == null ? "" : String.valueOf(var)));
    filter(
        global,
        "version_compare",
        (var, args) -> {
          if (args.length != 1) {
            throw new IllegalArgumentException(
                "version_compare takes one version: v | version_compare('28.0.1')");
          }
          if (var == null || args[0] == null) {
            throw new TemplateException(
                "version_compare needs two versions, got none (null) in "
                    + (var == null ? "none" : "'" + var + "'")
                    + " | version_compare("
                    + (args[0] == null ? "none" : "'" + args[0] + "'")
                    + ")",
                null,
                "give the variable a version, or write ... | default('0') | version_compare(...)");
          }
          return compareVersions(String.valueOf(var), args[0]);
        });
  }

  /** Registers a filter {@code name} computed by {@code fn(value, args)}. */
  private static void filter(Context global, String name, BiFunction<Object, String[], Object> fn) {
    global.registerFilter(
        new Filter() {
          @Override
          public String getName() {
            return name;
          }

          @Override
          public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return fn.apply(var, args);
          }
        });
  }

  /**
   * Compares two dotted versions numerically ({@code 27.1.11} &lt; {@code 28.0.1} &lt; {@code
   * 28.0.10}); a missing part counts as 0, a non-numeric part compares as text.
   *
   * @return negative, zero or positive, as {@link Comparable}
   */
  static int compareVersions(String a, String b) {
    String[] x = a.trim().split("\\.");
    String[] y = b.trim().split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      int c;
      try {
        c = Long.compare(Long.parseLong(p), Long.parseLong(q));
      } catch (NumberFormatException e) {
        c = p.compareTo(q);
      }
      if (c != 0) {
        return Integer.signum(c);
      }
    }
    return 0;
  }

  private static final Pattern RAW_BLOCK =
      Pattern.compile("\\{%-?\\s*raw\\s*-?%}.*?\\{%-?\\s*endraw\\s*-?%}", Pattern.DOTALL);
  private static final Pattern STRING_LITERAL = Pattern.compile("'[^']*'|\"[^\"]*\"");
  private static final Pattern FILTER_USE = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");

  /**
   * Refuses a filter that does not exist, whether or not the variables are defined: Jinjava reports
   * {@code x | nosuchfilter} as the unknown token {@code x | nosuchfilter}, which read as an
   * undefined variable.
   *
   * @throws TemplateException naming the filter and the known filters nearest to it
   */
  static void checkKnown(String template, Context global) {
    if (template.indexOf('|') < 0 || CHECKED.contains(template)) {
      return;
    }
    check(template, global);
    if (CHECKED.size() < TemplateNames.MEMO_SIZE) {
      CHECKED.add(template);
    }
  }

  /**
   * Templates whose filters all exist. Every engine has the same filters (Jinjava's and this
   * project's), so a template passes once for all; a plan checks the same templates for every host
   * (issue 23: a fifth of planning). Bounded like {@link TemplateNames#namesIn}.
   */
  private static final java.util.Set<String> CHECKED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static void check(String template, Context global) {
    Matcher block = TemplateEngine.BLOCK.matcher(RAW_BLOCK.matcher(template).replaceAll(""));
    while (block.find()) {
      String expr = block.group(1) != null ? block.group(1) : block.group(2);
      Matcher f = FILTER_USE.matcher(STRING_LITERAL.matcher(expr).replaceAll("''"));
      while (f.find()) {
        String name = f.group(1);
        if (global.getFilter(name) == null) {
          java.util.List<String> near =
              dev.orchestrator.common.Suggestions.near(
                  name, global.getAllFilters().stream().map(Filter::getName).toList(), 5);
          throw new TemplateException(
              "unknown filter '" + name + "'",
              null,
              (near.isEmpty()
                      ? "no filter has a similar name"
                      : "did you mean "
                          + String.join(", ", near.stream().map(n -> "'" + n + "'").toList())
                          + "?")
                  + "; this project adds quote, raw and version_compare to Jinjava's filters"
                  + " (default, lower, upper, replace, join, ...)");
        }
      }
    }
  }
}
