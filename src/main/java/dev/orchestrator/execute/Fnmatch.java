package dev.orchestrator.execute;

import java.util.regex.Pattern;

/**
 * Python's {@code fnmatch.fnmatch} on POSIX (case-sensitive), which ansible-core's {@code
 * unarchive.py} applies to an archive's names for {@code exclude}: {@code *} matches any text
 * ({@code /} included), {@code ?} one character, {@code [seq]} and {@code [!seq]} a character of
 * (not of) the set; anything else itself.
 */
final class Fnmatch {
  private Fnmatch() {}

  /** Whether {@code name} matches {@code pattern}. */
  static boolean matches(String pattern, String name) {
    return Pattern.compile(regex(pattern), Pattern.DOTALL).matcher(name).matches();
  }

  /** The pattern as a Java regular expression, as Python's {@code fnmatch.translate}. */
  static String regex(String pattern) {
    StringBuilder r = new StringBuilder();
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i++);
      if (c == '*') {
        r.append(".*");
      } else if (c == '?') {
        r.append('.');
      } else if (c == '[') {
        int j = i;
        if (j < n && pattern.charAt(j) == '!') {
          j++;
        }
        if (j < n && pattern.charAt(j) == ']') {
          j++;
        }
        while (j < n && pattern.charAt(j) != ']') {
          j++;
        }
        if (j >= n) {
          r.append("\\[");
        } else {
          String set = pattern.substring(i, j);
          i = j + 1;
          boolean negated = set.startsWith("!");
          StringBuilder s = new StringBuilder(negated ? "[^" : "[");
          for (char x : (negated ? set.substring(1) : set).toCharArray()) {
            s.append(x == '-' ? "-" : Pattern.quote(String.valueOf(x)).length() > 3 ? "\\" + x : x);
          }
          r.append(s).append(']');
        }
      } else {
        r.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return r.toString();
  }
}
