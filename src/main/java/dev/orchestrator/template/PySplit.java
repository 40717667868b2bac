package dev.orchestrator.template;

import java.util.ArrayList;
import java.util.List;

/** Python's {@code str.split}, {@code rsplit} and {@code splitlines} for {@link PyStrings}. */
public final class PySplit {
  private PySplit() {}

  /** Python's {@code s.split(sep, max)}; {@code sep} null splits at whitespace. */
  static List<String> split(String s, Object sep, int max) {
    List<String> out = new ArrayList<>();
    if (sep == null) {
      int i = 0;
      int n = s.length();
      while (true) {
        while (i < n && PyStrings.isSpace(s.charAt(i))) {
          i++;
        }
        if (i >= n) {
          return out;
        }
        if (max >= 0 && out.size() == max) {
          out.add(s.substring(i)); // Python keeps the rest's trailing whitespace
          return out;
        }
        int j = i;
        while (j < n && !PyStrings.isSpace(s.charAt(j))) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      }
    }
    String d = nonEmpty(sep);
    int from = 0;
    while (max < 0 || out.size() < max) {
      int at = s.indexOf(d, from);
      if (at < 0) {
        break;
      }
      out.add(s.substring(from, at));
      from = at + d.length();
    }
    out.add(s.substring(from));
    return out;
  }

  /** Python's {@code s.rsplit(sep, max)}. */
  static List<String> rsplit(String s, Object sep, int max) {
    if (max < 0) {
      return split(s, sep, max);
    }
    List<String> out = new ArrayList<>();
    if (sep == null) {
      int j = s.length();
      while (true) {
        while (j > 0 && PyStrings.isSpace(s.charAt(j - 1))) {
          j--;
        }
        if (j <= 0) {
          break;
        }
        if (out.size() == max) {
          out.add(s.substring(0, j)); // Python keeps the rest's leading whitespace
          break;
        }
        int i = j;
        while (i > 0 && !PyStrings.isSpace(s.charAt(i - 1))) {
          i--;
        }
        out.add(s.substring(i, j));
        j = i;
      }
    } else {
      String d = nonEmpty(sep);
      int end = s.length();
      while (out.size() < max) {
        int at = s.lastIndexOf(d, end - d.length());
        if (at < 0) {
          break;
        }
        out.add(s.substring(at + d.length(), end));
        end = at;
      }
      out.add(s.substring(0, end));
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /** The separator, refused when empty as Python does. */
  static String nonEmpty(Object sep) {
    String d = PyStrings.str(sep);
    if (d.isEmpty()) {
      throw new IllegalArgumentException("empty separator");
    }
    return d;
  }

  /**
   * Python's {@code s.splitlines(keepends)}: lines end at {@code \n}, {@code \r}, {@code \r\n},
   * {@code \v}, {@code \f}, {@code \x1c}-{@code \x1e}, {@code \x85}, {@code \u2028}, {@code
   * \u2029}.
   */
  public static List<String> splitlines(String s, boolean keepends) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      boolean lineEnd =
          c == '\n'
              || c == '\r'
              || c == 0x0b
              || c == 0x0c
              || (c >= 0x1c && c <= 0x1e)
              || c == 0x85
              || c == 0x2028
              || c == 0x2029;
      if (!lineEnd) {
        i++;
        continue;
      }
      int next = c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? i + 2 : i + 1;
      out.add(s.substring(start, keepends ? next : i));
      start = next;
      i = next;
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }
}
