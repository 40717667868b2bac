package dev.orchestrator.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A shell command rendered so that template values cannot inject shell syntax: each {@code {{ x }}}
 * becomes a reference to an exported variable ({@code ${__ORCH_1}}, quoted to suit where it stands:
 * as is outside quotes and inside double quotes, {@code '"${__ORCH_1}"'} inside single quotes), and
 * the values travel in {@link #values()}. An expansion's result is never parsed as shell code;
 * outside quotes it is split into words as any {@code $var} is (so a value such as {@code php
 * /srv/occ} works as a command prefix). {@code {{ x | raw }}} opts out (the text goes in as is),
 * and {@code {{ x | quote }}} is already safe.
 *
 * @param text the command text with references
 * @param values the variables to export, in order
 */
public record ShellTemplate(String text, Map<String, String> values) {
  /** The prefix of the exported variables' names. */
  public static final String PREFIX = "__ORCH_";

  /** Validates the fields. */
  public ShellTemplate {
    Objects.requireNonNull(text, "text");
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * Rewrites a template's {@code {{ expr }}} into {@code {{ orch_sh((expr), 'CTX') }}}, CTX being
   * the shell quoting context at that point ({@code u}, {@code d} or {@code s}); {@code raw} and
   * {@code quote} expressions are left alone. Jinja tags and comments do not change the quoting
   * state.
   */
  static String prepare(String template) {
    StringBuilder out = new StringBuilder();
    char state = 'u';
    int i = 0;
    while (i < template.length()) {
      if (template.startsWith("{{", i)) {
        int end = template.indexOf("}}", i + 2);
        if (end < 0) {
          out.append(template.substring(i));
          break;
        }
        String expr = template.substring(i + 2, end).trim();
        if (expr.matches("(?s).*\\|\\s*(raw|quote)\\s*") || expr.isEmpty()) {
          out.append("{{ ").append(expr.replaceAll("\\|\\s*raw\\s*$", "")).append(" }}");
        } else {
          out.append("{{ orch_sh((").append(expr).append("), '").append(state).append("') }}");
        }
        i = end + 2;
        continue;
      }
      if (template.startsWith("{%", i) || template.startsWith("{#", i)) {
        String close = template.startsWith("{%", i) ? "%}" : "#}";
        int end = template.indexOf(close, i + 2);
        end = end < 0 ? template.length() : end + 2;
        out.append(template, i, end);
        i = end;
        continue;
      }
      char c = template.charAt(i);
      if (c == '\\' && state != 's' && i + 1 < template.length()) {
        out.append(c).append(template.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '\'' && state != 'd') {
        state = state == 's' ? 'u' : 's';
      } else if (c == '"' && state != 's') {
        state = state == 'd' ? 'u' : 'd';
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /** Collects the values of one render (the {@code orch_sh} function adds to it). */
  static final ThreadLocal<List<String>> CAPTURED = new ThreadLocal<>();

  /**
   * The {@code orch_sh} template function: records a value and returns its reference for the
   * quoting context. Public for Jinjava.
   */
  public static String reference(Object value, String context) {
    List<String> captured = CAPTURED.get();
    if (captured == null) {
      return value == null ? "" : String.valueOf(value);
    }
    captured.add(value == null ? "" : String.valueOf(value));
    String ref = "${" + PREFIX + captured.size() + "}";
    return "s".equals(context) ? "'\"" + ref + "\"'" : ref;
  }

  static Map<String, String> values(List<String> captured) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < captured.size(); i++) {
      out.put(PREFIX + (i + 1), captured.get(i));
    }
    return out;
  }

  static List<String> newCapture() {
    List<String> list = new ArrayList<>();
    CAPTURED.set(list);
    return list;
  }
}
