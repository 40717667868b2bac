package dev.orchestrator.template;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code str()} and {@code repr()} of template values, and {@code str.format}: what Jinja2
 * prints for a value inside {@code '{}'.format(v)} or {@code v | string} (True, None, {@code ['a',
 * 1]}). Only what templates use: booleans, None, numbers, strings, lists and maps.
 */
final class PyFormat {
  private PyFormat() {}

  /** Returns Python's {@code str(value)}. */
  static String str(Object value) {
    return value instanceof String s ? s : repr(value);
  }

  /** Returns Python's {@code repr(value)}. */
  static String repr(Object value) {
    StringBuilder out = new StringBuilder();
    repr(value, out, 0);
    return out.toString();
  }

  private static void repr(Object value, StringBuilder out, int depth) {
    PyStrings.bounded(out.length());
    if (depth > 100) {
      throw new TemplateException("a value nests more than 100 levels", null);
    }
    if (value == null) {
      out.append("None");
    } else if (value instanceof Boolean b) {
      out.append(b ? "True" : "False");
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(
          Double.isNaN(d)
              ? "nan"
              : Double.isInfinite(d)
                  ? (d > 0 ? "inf" : "-inf")
                  : d == Math.rint(d) && Math.abs(d) < 1e16
                      ? ((long) d) + ".0"
                      : Double.toString(d));
    } else if (value instanceof Number n) {
      out.append(n);
    } else if (value instanceof CharSequence s) {
      quoted(s.toString(), out);
    } else if (value instanceof Map<?, ?> m) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        repr(e.getKey(), out, depth + 1);
        out.append(": ");
        repr(e.getValue(), out, depth + 1);
        if (it.hasNext()) {
          out.append(", ");
        }
      }
      out.append('}');
    } else if (value instanceof Iterable<?> l) {
      out.append('[');
      Iterator<?> it = l.iterator();
      while (it.hasNext()) {
        repr(it.next(), out, depth + 1);
        if (it.hasNext()) {
          out.append(", ");
        }
      }
      out.append(']');
    } else if (value.getClass().isArray() && value instanceof Object[] a) {
      repr(List.of(a), out, depth);
    } else {
      quoted(String.valueOf(value), out);
    }
  }

  /** Python's quoting: single quotes unless the text has one and no double quote. */
  private static void quoted(String s, StringBuilder out) {
    char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    out.append(q);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == q || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append(q);
  }

  /**
   * Python's {@code template.format(*args)}: {@code {}} (the next argument), {@code {0}} (by
   * position), {@code {0[key]}}/{@code {0.key}} not supported; {@code {{} and {@code }}} are
   * braces. A format spec ({@code {:>5}}) or a named field is refused.
   *
   * @throws IllegalArgumentException on a field it cannot fill, as Python's IndexError/KeyError
   */
  static String format(String template, Object[] args) {
    StringBuilder out = new StringBuilder();
    int auto = 0;
    boolean numbered = false;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '}') {
        if (i + 1 < template.length() && template.charAt(i + 1) == '}') {
          out.append('}');
          i++;
          continue;
        }
        throw new IllegalArgumentException("Single '}' encountered in format string");
      }
      if (c != '{') {
        out.append(c);
        continue;
      }
      if (i + 1 < template.length() && template.charAt(i + 1) == '{') {
        out.append('{');
        i++;
        continue;
      }
      int end = template.indexOf('}', i);
      if (end < 0) {
        throw new IllegalArgumentException("Single '{' encountered in format string");
      }
      String field = template.substring(i + 1, end);
      int index;
      if (field.isEmpty()) {
        if (numbered) {
          throw new IllegalArgumentException(
              "cannot switch from manual field specification to automatic field numbering");
        }
        index = auto++;
      } else if (field.matches("\\d{1,9}")) {
        if (auto > 0) {
          throw new IllegalArgumentException(
              "cannot switch from automatic field numbering to manual field specification");
        }
        numbered = true;
        index = Integer.parseInt(field);
      } else {
        throw new IllegalArgumentException(
            "format field '{"
                + field
                + "}' is not supported in templates: only {} and {0}, {1}, ... without a format"
                + " spec");
      }
      if (index >= args.length) {
        throw new IllegalArgumentException(
            "Replacement index " + index + " out of range for positional args tuple");
      }
      out.append(str(args[index]));
      PyStrings.bounded(out.length());
      i = end;
    }
    return out.toString();
  }
}
