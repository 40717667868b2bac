package dev.orchestrator.template;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;

/**
 * Python's {@code json.dumps} and {@code json.loads} as Ansible's {@code to_json}, {@code
 * to_nice_json} and {@code from_json} call them (core.py): {@code ", "} and {@code ": "} between
 * items, or with an indent {@code ","} and sorted keys; every non-ASCII character escaped ({@code
 * ensure_ascii}); floats as Python writes them.
 */
final class PyJson {
  private PyJson() {}

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(100)
                .maxStringLength((int) RenderBounds.MAX_OUTPUT)
                .build());
  }

  /** Reads JSON text into maps, lists, strings, numbers, booleans and null. */
  static Object loads(String text) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(
          "from_json: the text is not JSON ("
              + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("")
              + ")");
    }
  }

  /**
   * Writes a value as {@code json.dumps(v)} (indent below 0) or {@code json.dumps(v, indent=n,
   * sort_keys=True, separators=(',', ': '))}.
   */
  static String dumps(Object value, int indent, boolean sortKeys) {
    StringBuilder out = new StringBuilder();
    write(value, out, indent, sortKeys, 0);
    return out.toString();
  }

  private static void write(Object v, StringBuilder out, int indent, boolean sort, int depth) {
    PyStrings.bounded(out.length());
    if (depth > 100) {
      throw new IllegalArgumentException("to_json: the value nests more than 100 levels");
    }
    if (v == null) {
      out.append("null");
    } else if (v instanceof Boolean b) {
      out.append(b);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      out.append(
          Double.isNaN(d)
              ? "NaN"
              : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : pyFloat(d));
    } else if (v instanceof Number n) {
      out.append(n);
    } else if (v instanceof Map<?, ?> m) {
      Map<?, ?> map = m;
      if (sort) {
        java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
        m.forEach((k, x) -> sorted.put(key(k), x));
        map = sorted;
      }
      open(out, '{', map.isEmpty());
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        newline(out, indent, depth + 1);
        string(key(e.getKey()), out);
        out.append(": ");
        write(e.getValue(), out, indent, sort, depth + 1);
        separator(out, indent, it.hasNext());
      }
      close(out, '}', indent, depth, map.isEmpty());
    } else if (v instanceof Iterable<?> list) {
      Iterator<?> it = list.iterator();
      open(out, '[', !it.hasNext());
      boolean empty = !it.hasNext();
      while (it.hasNext()) {
        newline(out, indent, depth + 1);
        write(it.next(), out, indent, sort, depth + 1);
        separator(out, indent, it.hasNext());
      }
      close(out, ']', indent, depth, empty);
    } else if (v instanceof Object[] a) {
      write(java.util.List.of(a), out, indent, sort, depth);
    } else {
      string(String.valueOf(v), out);
    }
  }

  private static String key(Object k) {
    if (k == null) {
      return "null";
    }
    if (k instanceof Boolean || k instanceof Number) {
      return k instanceof Double d ? pyFloat(d) : String.valueOf(k);
    }
    return String.valueOf(k);
  }

  private static void open(StringBuilder out, char c, boolean empty) {
    out.append(c);
  }

  private static void close(StringBuilder out, char c, int indent, int depth, boolean empty) {
    if (!empty) {
      newline(out, indent, depth);
    }
    out.append(c);
  }

  private static void newline(StringBuilder out, int indent, int depth) {
    if (indent >= 0) {
      out.append('\n').append(" ".repeat(Math.min(indent * depth, 100_000)));
    }
  }

  private static void separator(StringBuilder out, int indent, boolean more) {
    if (more) {
      out.append(indent >= 0 ? "," : ", ");
    }
  }

  /** Python's {@code repr} of a finite float. */
  static String pyFloat(double d) {
    String s = Double.toString(d);
    int e = s.indexOf('E');
    if (e < 0) {
      return Math.abs(d) >= 1e16 ? expForm(d) : s;
    }
    int exp = Integer.parseInt(s.substring(e + 1));
    if (exp >= -5 && exp < 16) {
      return new java.math.BigDecimal(s).toPlainString().replaceFirst("^(-?\\d+)$", "$1.0");
    }
    return expForm(d);
  }

  private static String expForm(double d) {
    String s = Double.toString(d);
    int e = s.indexOf('E');
    String mantissa = e < 0 ? s : s.substring(0, e);
    int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
    mantissa = mantissa.replaceFirst("\\.0$", "");
    return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
