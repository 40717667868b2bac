package dev.orchestrator.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's view of template values for {@link AnsibleFilters} and {@link AnsibleTests}: truth,
 * iteration, type names, {@code int()}, Ansible's {@code bool} and {@code flatten}, and {@code
 * posixpath}'s {@code basename}/{@code dirname}.
 */
final class PyValues {
  private PyValues() {}

  /** Python's truth of a value (an {@link Undefined} is false, as Jinja2's). */
  static boolean truthy(Object v) {
    if (v == null || v instanceof Undefined) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (v instanceof CharSequence s) {
      return s.length() > 0;
    }
    if (v instanceof java.util.Collection<?> c) {
      return !c.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  /** Python's type name of a value, for error messages. */
  static String typeName(Object v) {
    if (v == null) {
      return "NoneType";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof Double || v instanceof Float) {
      return "float";
    }
    if (v instanceof Number) {
      return "int";
    }
    if (v instanceof CharSequence) {
      return "str";
    }
    if (v instanceof Map<?, ?>) {
      return "dict";
    }
    if (v instanceof Iterable<?>) {
      return "list";
    }
    return v.getClass().getSimpleName();
  }

  /** Iterates a value as Python does: a list's items, a map's keys, a string's characters. */
  static Iterable<?> iterate(Object v) {
    if (v instanceof Map<?, ?> m) {
      return m.keySet();
    }
    if (v instanceof Iterable<?> it) {
      return it;
    }
    if (v instanceof CharSequence s) {
      return s.toString().codePoints().mapToObj(Character::toString).toList();
    }
    if (v instanceof Object[] a) {
      return List.of(a);
    }
    throw new IllegalArgumentException("'" + typeName(v) + "' object is not iterable");
  }

  /** Jinja2's attribute lookup of {@code item} ({@code a.b} dotted, list indexes by number). */
  static Object attribute(Object item, Object attribute) {
    Object current = item;
    for (String part : String.valueOf(attribute).split("\\.")) {
      if (current instanceof Map<?, ?> m && m.containsKey(part)) {
        current = m.get(part);
      } else if (current instanceof List<?> l && part.matches("\\d{1,9}")) {
        current = Integer.parseInt(part) < l.size() ? l.get(Integer.parseInt(part)) : null;
      } else {
        return new Undefined(String.valueOf(attribute));
      }
    }
    return current;
  }

  /**
   * Ansible's {@code bool} filter: a bool as is, None false, and {@code yes}, {@code on}, {@code
   * 1}, {@code true} (any case) and the number 1 true; all else false (core.py {@code to_bool}).
   */
  static boolean ansibleBool(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v == null) {
      return false;
    }
    if (v instanceof Number n) {
      return n.doubleValue() == 1;
    }
    String s = String.valueOf(v).toLowerCase(java.util.Locale.ROOT);
    return s.equals("yes") || s.equals("on") || s.equals("1") || s.equals("true");
  }

  /**
   * Jinja2's {@code int(value, default=0, base=10)}: a string as Python's {@code int(s, base)}
   * (spaces around, a sign, underscores between digits), else {@code int(float(value))}, else the
   * default.
   */
  static Object toInt(Object v, Object dflt, Number base) {
    if (v instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
      return n;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d)) {
        return dflt;
      }
      if (Double.isInfinite(d)) {
        throw new IllegalArgumentException("cannot convert float infinity to integer");
      }
      return normal(new java.math.BigDecimal(d).toBigInteger());
    }
    if (!(v instanceof CharSequence)) {
      return dflt;
    }
    String s = PyStrings.call(v.toString(), "strip", null).toString();
    int radix = base.intValue();
    String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    if (radix == 16 || radix == 8 || radix == 2) {
      String prefix = radix == 16 ? "0x" : radix == 8 ? "0o" : "0b";
      if (digits.toLowerCase(java.util.Locale.ROOT).startsWith(prefix)) {
        digits = digits.substring(2).replaceFirst("^_", "");
      }
    }
    if (digits.matches("[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*") && radix >= 2 && radix <= 36) {
      try {
        BigInteger i = new BigInteger(digits.replace("_", ""), radix);
        return normal(s.startsWith("-") ? i.negate() : i);
      } catch (NumberFormatException e) {
        // not an integer in that base: as a float below
      }
    }
    if (s.matches("[+-]?(\\d+(_\\d+)*)?(\\.(\\d+(_\\d+)*)?)?([eE][+-]?\\d+(_\\d+)*)?")
        && s.matches(".*\\d.*")
        && !s.matches("[+-]?\\.?[eE].*")) {
      return toInt(Double.parseDouble(s.replace("_", "")), dflt, 10);
    }
    String word = s.toLowerCase(java.util.Locale.ROOT).replaceFirst("^[+-]", "");
    if (word.equals("inf") || word.equals("infinity")) {
      throw new IllegalArgumentException("cannot convert float infinity to integer");
    }
    return dflt;
  }

  private static Object normal(BigInteger i) {
    return i.bitLength() < 64 ? (Object) i.longValue() : i;
  }

  /** Ansible's {@code flatten(levels, skip_nulls)}: levels below 0 is all of them. */
  static List<Object> flatten(Object v, int levels, boolean skipNulls) {
    if (!(v instanceof Iterable<?> list) || v instanceof Map<?, ?>) {
      throw new IllegalArgumentException("flatten expects a list, got " + typeName(v));
    }
    List<Object> out = new ArrayList<>();
    for (Object e : list) {
      if (skipNulls && (e == null || "None".equals(e) || "null".equals(e))) {
        continue;
      }
      if (e instanceof Iterable<?> && !(e instanceof Map<?, ?>) && levels != 0) {
        out.addAll(flatten(e, levels < 0 ? -1 : levels - 1, skipNulls));
      } else {
        out.add(e);
      }
      if (out.size() > RenderBounds.MAX_ITEMS) {
        throw new TemplateException(
            "flatten builds a list of more than " + RenderBounds.MAX_ITEMS + " items",
            null,
            RenderBounds.HINT);
      }
    }
    return out;
  }

  /** Python's {@code os.path.basename} (POSIX). */
  static String basename(String p) {
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** Python's {@code os.path.dirname} (POSIX). */
  static String dirname(String p) {
    String head = p.substring(0, p.lastIndexOf('/') + 1);
    if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
      head = head.replaceFirst("/+$", "");
    }
    return head;
  }
}
