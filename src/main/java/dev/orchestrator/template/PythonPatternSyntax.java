package dev.orchestrator.template;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One translation of a Python {@code re} pattern into Java's syntax, for {@link PythonPattern}
 * (which lists what is translated and what refused): a scan that tracks character classes and group
 * numbers.
 */
final class PythonPatternSyntax {
  private static final String WORD = "[A-Za-z0-9_]";
  private static final String ASCII_B =
      "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))";
  private static final String ASCII_NB =
      "(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))";

  private final String p;
  private final boolean bytes;
  private final Map<String, Integer> names;
  private final StringBuilder out = new StringBuilder();
  private int i;
  private int groups;

  private final boolean multiline;

  PythonPatternSyntax(String p, boolean bytes, boolean multiline, Map<String, Integer> names) {
    this.multiline = multiline;
    this.p = p;
    this.bytes = bytes;
    this.names = names;
  }

  String translate() {
    while (i < p.length()) {
      char c = p.charAt(i);
      switch (c) {
        case '\\' -> escapeOutside();
        case '[' -> charClass();
        case '(' -> group();
        case '{' -> brace();
        case '^' -> {
          out.append(multiline ? "(?<![^\\n])" : "^");
          i++;
        }
        default -> {
          out.append(c);
          i++;
        }
      }
    }
    return out.toString();
  }

  private IllegalArgumentException refuse(String what) {
    return new IllegalArgumentException(
        "the regular expression '"
            + p
            + "' uses "
            + what
            + ", which Java's engine reads differently from Python's re: not supported");
  }

  private char next() {
    if (i + 1 >= p.length()) {
      throw new IllegalArgumentException("bad escape (end of pattern) in '" + p + "'");
    }
    return p.charAt(i + 1);
  }

  private void escapeOutside() {
    char d = next();
    i += 2;
    switch (d) {
      case 'Z' -> out.append("\\z");
      case 'v' -> out.append("\\x0B");
      case 'b' -> out.append(bytes ? ASCII_B : "\\b");
      case 'B' -> out.append(bytes ? ASCII_NB : "\\B");
      case 'A', 'd', 'D', 's', 'S', 'w', 'W', 'a', 'f', 'n', 'r', 't' -> out.append('\\').append(d);
      default -> common(d, false);
    }
  }

  /** Escapes read alike outside and inside a class: hex, unicode, digits, punctuation. */
  private void common(char d, boolean inClass) {
    if (d == 'x') {
      hex(2);
    } else if ((d == 'u' || d == 'U' || d == 'N') && !bytes) {
      if (d == 'N') {
        int close = p.indexOf('}', i);
        if (i >= p.length() || p.charAt(i) != '{' || close < 0) {
          throw new IllegalArgumentException("missing {name} after \\N in '" + p + "'");
        }
        out.append("\\N").append(p, i, close + 1);
        i = close + 1;
      } else {
        hex(d == 'u' ? 4 : 8);
      }
    } else if (d == '0' || (inClass && d >= '1' && d <= '7')) {
      int v = d - '0';
      int n = 0;
      while (n < 2 && i < p.length() && isOctal(p.charAt(i))) {
        v = v * 8 + (p.charAt(i++) - '0');
        n++;
      }
      out.append(String.format("\\x{%x}", v));
    } else if (d >= '1' && d <= '9') {
      if (i + 1 < p.length() && isOctal(d) && isOctal(p.charAt(i)) && isOctal(p.charAt(i + 1))) {
        int v = (d - '0') * 64 + (p.charAt(i) - '0') * 8 + (p.charAt(i + 1) - '0');
        i += 2;
        out.append(String.format("\\x{%x}", v));
      } else {
        StringBuilder n = new StringBuilder().append(d);
        if (i < p.length() && Character.isDigit(p.charAt(i))) {
          n.append(p.charAt(i++));
        }
        out.append("(?:\\").append(n).append(')');
      }
    } else if (d < 128 && Character.isLetterOrDigit(d)) {
      throw refuse("the escape \\" + d);
    } else {
      out.append('\\').append(d);
    }
  }

  private void hex(int digits) {
    if (i + digits > p.length() || !p.substring(i, i + digits).matches("[0-9a-fA-F]+")) {
      throw new IllegalArgumentException("incomplete escape in '" + p + "'");
    }
    out.append("\\x{").append(p, i, i + digits).append('}');
    i += digits;
  }

  private void charClass() {
    out.append('[');
    i++;
    if (i < p.length() && p.charAt(i) == '^') {
      out.append('^');
      i++;
    }
    boolean first = true;
    while (true) {
      if (i >= p.length()) {
        throw new IllegalArgumentException("unterminated character set in '" + p + "'");
      }
      char c = p.charAt(i);
      if (c == ']' && !first) {
        out.append(']');
        i++;
        return;
      }
      first = false;
      if (c == '\\') {
        char d = next();
        i += 2;
        switch (d) {
          case 'b' -> out.append("\\x08");
          case 'v' -> out.append("\\x0B");
          case 'd', 'D', 's', 'S', 'w', 'W', 'a', 'f', 'n', 'r', 't' -> out.append('\\').append(d);
          default -> common(d, true);
        }
      } else if (c == ']' || c == '[' || c == '&' || c == '{' || c == '}') {
        out.append('\\').append(c);
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
  }

  private void group() {
    if (!p.startsWith("(?", i)) {
      groups++;
      out.append('(');
      i++;
      return;
    }
    if (p.startsWith("(?P<", i)) {
      int close = p.indexOf('>', i);
      if (close < 0) {
        throw new IllegalArgumentException("missing >, unterminated name in '" + p + "'");
      }
      String name = p.substring(i + 4, close);
      if (!name.matches("[\\p{L}_][\\p{L}\\p{N}_]*") || names.containsKey(name)) {
        throw new IllegalArgumentException("bad group name '" + name + "' in '" + p + "'");
      }
      names.put(name, ++groups);
      out.append('(');
      i = close + 1;
      return;
    }
    if (p.startsWith("(?P=", i)) {
      int close = p.indexOf(')', i);
      String name = close < 0 ? "" : p.substring(i + 4, close);
      Integer n = names.get(name);
      if (n == null) {
        throw new IllegalArgumentException("unknown group name '" + name + "' in '" + p + "'");
      }
      out.append("(?:\\").append(n).append(')');
      i = close + 1;
      return;
    }
    if (p.startsWith("(?#", i)) {
      int close = p.indexOf(')', i);
      if (close < 0) {
        throw new IllegalArgumentException("missing ), unterminated comment in '" + p + "'");
      }
      i = close + 1;
      return;
    }
    char k = i + 2 < p.length() ? p.charAt(i + 2) : ')';
    if (k == ':' || k == '=' || k == '!' || k == '>') {
      out.append("(?").append(k);
      i += 3;
      return;
    }
    if (k == '<' && i + 3 < p.length() && (p.charAt(i + 3) == '=' || p.charAt(i + 3) == '!')) {
      out.append("(?<").append(p.charAt(i + 3));
      i += 4;
      return;
    }
    if (k == '(') {
      throw refuse("a conditional group (?(...)...|...)");
    }
    int j = i + 2;
    while (j < p.length() && "aiLmsux-".indexOf(p.charAt(j)) >= 0) {
      char f = p.charAt(j++);
      if ("aLux".indexOf(f) >= 0) {
        throw refuse("the flag (?" + f + ")");
      }
    }
    if (j >= p.length() || (p.charAt(j) != ')' && p.charAt(j) != ':') || j == i + 2) {
      throw new IllegalArgumentException("unknown extension in '" + p + "'");
    }
    String flagText = p.substring(i + 2, j);
    if (flagText.contains("m") && (p.charAt(j) == ':' || flagText.contains("-"))) {
      throw refuse("a scoped (?m) flag");
    }
    if (p.charAt(j) == ')' && !out.toString().matches("(\\(\\?[ims]+\\))*")) {
      throw new IllegalArgumentException(
          "global flags not at the start of the expression in '" + p + "'");
    }
    out.append(p, i, j + 1);
    i = j + 1;
  }

  /** A {@code {} that starts a quantifier as Python reads one, else a literal brace. */
  private void brace() {
    Matcher m = Pattern.compile("\\{(\\d*)(,?)(\\d*)}").matcher(p).region(i, p.length());
    if (m.lookingAt() && !(m.group(1).isEmpty() && m.group(3).isEmpty())) {
      if (m.group(2).isEmpty()) {
        out.append(m.group());
      } else {
        out.append('{')
            .append(m.group(1).isEmpty() ? "0" : m.group(1))
            .append(',')
            .append(m.group(3))
            .append('}');
      }
      i = m.end();
      return;
    }
    out.append("\\{");
    i++;
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }
}
