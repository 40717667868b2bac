package dev.orchestrator.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.function.BiFunction;

/**
 * The filters this project adds to Jinjava's: {@code raw}, {@code quote} and {@code
 * version_compare}. They see {@code null} only for a variable defined as null: an undefined one
 * never reaches a filter ({@link Undefined}).
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
          return TemplateEngine.compareVersions(String.valueOf(var), args[0]);
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
}
