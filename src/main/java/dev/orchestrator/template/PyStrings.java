package dev.orchestrator.template;

import java.util.List;
import java.util.Map;

/**
 * Python's {@code str} methods on a template's strings, as Jinja2 (and so Ansible) calls them: a
 * Jinjava string is a Java {@link String}, whose {@code split} takes a regular expression and which
 * has no {@code find}, {@code lstrip} or {@code format}. {@link MethodCalls} sends a call of one of
 * {@link #ARITY}'s names on a string here, so {@code r.stdout.split(':')[1].strip()} means what it
 * means in Ansible. Semantics follow Python 3's documentation of {@code str}
 * (https://docs.python.org/3/library/stdtypes.html#string-methods); positions count code points, as
 * Python's do. Not supported: keyword arguments ({@code s.split(maxsplit=1)}: write {@code
 * s.split(None, 1)}) and format specs in {@code format} ({@code '{:>5}'}).
 */
final class PyStrings {
  private PyStrings() {}

  /** The methods, each with its least and greatest number of arguments. */
  static final Map<String, int[]> ARITY =
      Map.ofEntries(
          Map.entry("split", new int[] {0, 2}),
          Map.entry("rsplit", new int[] {0, 2}),
          Map.entry("splitlines", new int[] {0, 1}),
          Map.entry("startswith", new int[] {1, 3}),
          Map.entry("endswith", new int[] {1, 3}),
          Map.entry("replace", new int[] {2, 3}),
          Map.entry("strip", new int[] {0, 1}),
          Map.entry("lstrip", new int[] {0, 1}),
          Map.entry("rstrip", new int[] {0, 1}),
          Map.entry("lower", new int[] {0, 0}),
          Map.entry("upper", new int[] {0, 0}),
          Map.entry("title", new int[] {0, 0}),
          Map.entry("capitalize", new int[] {0, 0}),
          Map.entry("find", new int[] {1, 3}),
          Map.entry("rfind", new int[] {1, 3}),
          Map.entry("count", new int[] {1, 3}),
          Map.entry("join", new int[] {1, 1}),
          Map.entry("format", new int[] {0, Integer.MAX_VALUE}),
          Map.entry("isdigit", new int[] {0, 0}),
          Map.entry("isalpha", new int[] {0, 0}),
          Map.entry("isalnum", new int[] {0, 0}),
          Map.entry("isspace", new int[] {0, 0}),
          Map.entry("islower", new int[] {0, 0}),
          Map.entry("isupper", new int[] {0, 0}));

  /** Returns whether a string has the method {@code name} taking {@code arity} arguments. */
  static boolean accepts(String name, int arity) {
    int[] range = ARITY.get(name);
    return range != null && arity >= range[0] && arity <= range[1];
  }

  /**
   * Calls the method {@code name} of {@code s} with {@code args}.
   *
   * @throws IllegalArgumentException on a wrong number or type of arguments, as Python's {@code
   *     TypeError} or {@code ValueError} (an empty separator)
   */
  static Object call(String s, String name, Object[] args) {
    Object[] a = args == null ? new Object[0] : args;
    if (!accepts(name, a.length)) {
      throw new IllegalArgumentException(
          "str." + name + "() does not take " + a.length + " argument(s)");
    }
    return switch (name) {
      case "split" -> PySplit.split(s, a.length > 0 ? a[0] : null, maxsplit(a, 1));
      case "rsplit" -> PySplit.rsplit(s, a.length > 0 ? a[0] : null, maxsplit(a, 1));
      case "splitlines" -> PySplit.splitlines(s, a.length > 0 && truthy(a[0]));
      case "startswith" -> affix(s, a, true);
      case "endswith" -> affix(s, a, false);
      case "replace" -> replace(s, str(a[0]), str(a[1]), maxsplit(a, 2));
      case "strip" -> strip(s, a.length > 0 ? a[0] : null, true, true);
      case "lstrip" -> strip(s, a.length > 0 ? a[0] : null, true, false);
      case "rstrip" -> strip(s, a.length > 0 ? a[0] : null, false, true);
      case "lower" -> s.toLowerCase(java.util.Locale.ROOT);
      case "upper" -> s.toUpperCase(java.util.Locale.ROOT);
      case "title" -> title(s);
      case "capitalize" ->
          s.isEmpty()
              ? s
              : new String(Character.toChars(Character.toTitleCase(s.codePointAt(0))))
                      .toUpperCase(java.util.Locale.ROOT)
                  + s.substring(Character.charCount(s.codePointAt(0)))
                      .toLowerCase(java.util.Locale.ROOT);
      case "find" -> find(s, a, false);
      case "rfind" -> find(s, a, true);
      case "count" -> count(s, a);
      case "join" -> join(s, a[0]);
      case "format" -> PyFormat.format(s, a);
      case "isdigit" -> all(s, Character::isDigit);
      case "isalpha" -> all(s, Character::isLetter);
      case "isalnum" -> all(s, c -> Character.isLetterOrDigit(c));
      case "isspace" -> all(s, PyStrings::isSpace);
      case "islower" -> cased(s, false);
      case "isupper" -> cased(s, true);
      default -> throw new IllegalArgumentException("str has no method " + name);
    };
  }

  static String str(Object o) {
    if (o instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(
        "expected a string argument, got " + (o == null ? "None" : PyFormat.str(o)));
  }

  private static boolean truthy(Object o) {
    return o instanceof Boolean b ? b : o instanceof Number n ? n.doubleValue() != 0 : o != null;
  }

  private static int maxsplit(Object[] a, int i) {
    if (a.length <= i) {
      return -1;
    }
    if (!(a[i] instanceof Number n)) {
      throw new IllegalArgumentException("expected an integer, got " + PyFormat.str(a[i]));
    }
    return (int) Math.max(Math.min(n.longValue(), Integer.MAX_VALUE), -1);
  }

  /** Python's whitespace ({@code str.isspace}): Java's whitespace plus the separators. */
  static boolean isSpace(int c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || (c >= 0x1c && c <= 0x1f)
        || c == 0x85;
  }

  private static boolean affix(String s, Object[] a, boolean prefix) {
    String part = slice(s, a, 1);
    List<?> options = a[0] instanceof List<?> l ? l : List.of(str(a[0]));
    for (Object o : options) {
      String x = str(o);
      if (prefix ? part.startsWith(x) : part.endsWith(x)) {
        return true;
      }
    }
    return false;
  }

  /** Returns {@code s[start:end]} from the arguments at {@code i} and {@code i + 1}. */
  private static String slice(String s, Object[] a, int i) {
    int n = s.codePointCount(0, s.length());
    if (a.length > i && a[i] instanceof Number raw && raw.longValue() > n) {
      return null; // Python: a start past the end finds nothing, not even ''
    }
    int start = a.length > i ? index(a[i], n, 0) : 0;
    int end = a.length > i + 1 ? index(a[i + 1], n, n) : n;
    if (end <= start) {
      return "";
    }
    return s.substring(s.offsetByCodePoints(0, start), s.offsetByCodePoints(0, end));
  }

  private static int index(Object o, int n, int whenNone) {
    if (o == null) {
      return whenNone;
    }
    if (!(o instanceof Number x)) {
      throw new IllegalArgumentException("slice indices must be integers or None");
    }
    long v = x.longValue();
    if (v < 0) {
      v = Math.max(0, v + n);
    }
    return (int) Math.min(v, n);
  }

  private static String replace(String s, String old, String by, int max) {
    if (max == 0) {
      return s;
    }
    if (old.isEmpty()) {
      StringBuilder out = new StringBuilder();
      int done = 0;
      int i = 0;
      while (i < s.length()) {
        if (max < 0 || done < max) {
          out.append(by);
          done++;
        }
        int c = s.codePointAt(i);
        out.appendCodePoint(c);
        i += Character.charCount(c);
        bounded(out.length());
      }
      if (max < 0 || done < max) {
        out.append(by);
      }
      return out.toString();
    }
    StringBuilder out = new StringBuilder();
    int from = 0;
    int done = 0;
    while (max < 0 || done < max) {
      int at = s.indexOf(old, from);
      if (at < 0) {
        break;
      }
      out.append(s, from, at).append(by);
      bounded(out.length());
      from = at + old.length();
      done++;
    }
    return out.append(s.substring(from)).toString();
  }

  private static String strip(String s, Object chars, boolean left, boolean right) {
    java.util.function.IntPredicate strip;
    if (chars == null) {
      strip = PyStrings::isSpace;
    } else {
      String set = str(chars);
      strip = c -> set.indexOf(c) >= 0;
    }
    int[] cps = s.codePoints().toArray();
    int i = 0;
    int j = cps.length;
    while (left && i < j && strip.test(cps[i])) {
      i++;
    }
    while (right && j > i && strip.test(cps[j - 1])) {
      j--;
    }
    return new String(cps, i, j - i);
  }

  private static String title(String s) {
    StringBuilder out = new StringBuilder();
    boolean previousCased = false;
    for (int c : s.codePoints().toArray()) {
      boolean cased = Character.isLetter(c);
      if (cased) {
        out.appendCodePoint(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
      } else {
        out.appendCodePoint(c);
      }
      previousCased = cased;
    }
    return out.toString();
  }

  private static int find(String s, Object[] a, boolean last) {
    String sub = str(a[0]);
    String part = slice(s, a, 1);
    if (part == null) {
      return -1;
    }
    int n = s.codePointCount(0, s.length());
    int start = a.length > 1 ? index(a[1], n, 0) : 0;
    int at = last ? part.lastIndexOf(sub) : part.indexOf(sub);
    return at < 0 ? -1 : start + part.codePointCount(0, at);
  }

  private static int count(String s, Object[] a) {
    String sub = str(a[0]);
    String part = slice(s, a, 1);
    if (part == null) {
      return 0;
    }
    if (sub.isEmpty()) {
      return part.codePointCount(0, part.length()) + 1;
    }
    int count = 0;
    for (int at = part.indexOf(sub); at >= 0; at = part.indexOf(sub, at + sub.length())) {
      count++;
    }
    return count;
  }

  private static String join(String sep, Object items) {
    Iterable<?> list;
    if (items instanceof Iterable<?> it) {
      list = it;
    } else if (items instanceof Map<?, ?> m) {
      list = m.keySet();
    } else if (items instanceof String str) {
      list = str.codePoints().mapToObj(Character::toString).toList();
    } else {
      throw new IllegalArgumentException("can only join an iterable");
    }
    StringBuilder out = new StringBuilder();
    boolean first = true;
    for (Object o : list) {
      if (!first) {
        out.append(sep);
      }
      first = false;
      if (!(o instanceof String x)) {
        throw new IllegalArgumentException(
            "sequence item: expected str instance, got " + PyFormat.str(o));
      }
      out.append(x);
      bounded(out.length());
    }
    return out.toString();
  }

  /** Refuses a string being built past {@link RenderBounds#MAX_OUTPUT}. */
  static void bounded(long length) {
    if (length > RenderBounds.MAX_OUTPUT) {
      throw new TemplateException(
          "the template is over a bound: it builds a string longer than "
              + RenderBounds.MAX_OUTPUT
              + " characters",
          null,
          RenderBounds.HINT);
    }
  }

  private static boolean all(String s, java.util.function.IntPredicate p) {
    return !s.isEmpty() && s.codePoints().allMatch(p);
  }

  private static boolean cased(String s, boolean upper) {
    boolean anyCased = false;
    for (int c : s.codePoints().toArray()) {
      if (Character.isUpperCase(c) || Character.isTitleCase(c)) {
        if (!upper) {
          return false;
        }
        anyCased = true;
      } else if (Character.isLowerCase(c)) {
        if (upper) {
          return false;
        }
        anyCased = true;
      }
    }
    return anyCased;
  }
}
