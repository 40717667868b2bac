package dev.orchestrator.template;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Python {@code re} pattern run by Java's {@link Pattern}, for the modules that take Python
 * regular expressions ({@code lineinfile}, {@code blockinfile}, {@code replace}): the pattern is
 * translated where the two engines spell the same thing differently, and refused where Java would
 * match differently and no translation is simple (<a
 * href="https://docs.python.org/3/library/re.html">Python's re</a>, {@code sre_parse.py}).
 *
 * <p>Translated: {@code (?P<name>...)} (a numbered group, the name kept here), {@code (?P=name)},
 * {@code \Z} ({@code \z}), {@code \v} (the character 0x0B; Java's is a class), {@code \b} inside a
 * class (backspace), a {@code {} that is no quantifier (literal in Python), {@code {,n}}, {@code ]}
 * first in a class, {@code [} and {@code &} in a class (literal in Python; Java nests and
 * intersects), {@code (?#...)} comments (dropped), {@code ^} in MULTILINE mode (Java's never
 * matches at the end of the input, Python's does after a final newline and in an empty text). Flags: {@code UNIX_LINES} always (Python's
 * {@code .}, {@code ^} and {@code $} know only {@code \n}); in text mode {@code
 * UNICODE_CHARACTER_CLASS} (Python's str patterns: {@code \w}, {@code \d}, {@code \s}, {@code \b}
 * and case-insensitivity are Unicode's); in bytes mode ASCII classes and a {@code \b}/{@code \B}
 * spelled with ASCII look-arounds (Java 17's {@code \b} counts letters beyond ASCII). Refused:
 * {@code (?(id)yes|no)}, {@code m} in a scoped flag group, the flags {@code a}, {@code L}, {@code u} and {@code x} (verbose), an
 * escape of an ASCII letter Python does not know (Python refuses it too; Java would read {@code
 * \p}, {@code \h}, {@code \R}, ...). Bytes mode works on text decoded as ISO-8859-1 (one character
 * per byte), and translates the pattern's UTF-8 bytes the same way, as Python compiles a bytes
 * pattern.
 */
public final class PythonPattern {
  private final Pattern pattern;
  private final Map<String, Integer> names;

  private PythonPattern(Pattern pattern, Map<String, Integer> names) {
    this.pattern = pattern;
    this.names = Map.copyOf(names);
  }

  /** The compiled Java pattern. */
  public Pattern pattern() {
    return pattern;
  }

  /** The group number of each Python group name. */
  public Map<String, Integer> names() {
    return names;
  }

  /**
   * Compiles a Python pattern.
   *
   * @param python the pattern as Python's {@code re.compile} is given it
   * @param bytes whether it is a bytes pattern (lineinfile, blockinfile) rather than a str one
   *     (replace); in bytes mode match it against {@link #latin1} text
   * @param flags further {@link Pattern} flags (MULTILINE, DOTALL)
   * @throws IllegalArgumentException naming the construct that is refused or the syntax error
   */
  public static PythonPattern compile(String python, boolean bytes, int flags) {
    Objects.requireNonNull(python, "python");
    String source = bytes ? latin1(python.getBytes(StandardCharsets.UTF_8)) : python;
    Map<String, Integer> names = new HashMap<>();
    String java =
        new PythonPatternSyntax(
                source,
                bytes,
                (flags & Pattern.MULTILINE) != 0
                    || source.matches("(?s)(\\(\\?[ims]+\\))*\\(\\?[is]*m[ims]*\\).*"),
                names)
            .translate();
    int all = flags | Pattern.UNIX_LINES | (bytes ? 0 : Pattern.UNICODE_CHARACTER_CLASS);
    try {
      return new PythonPattern(Pattern.compile(java, all), names);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid regular expression '" + python + "': " + e.getDescription());
    }
  }

  /** Bytes as text, one character per byte (ISO-8859-1). */
  public static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Text made by {@link #latin1} back to its bytes. */
  public static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Expands a Python replacement template ({@code match.expand}, {@code re.sub}'s repl): {@code
   * \1}..{@code \99}, {@code \g<n>}, {@code \g<name>}, the escapes {@code \a \b \f \n \r \t \v \\}
   * and octal {@code \0}, {@code \ooo}; another backslash stays as written; a group that did not
   * take part is empty (Python 3.5 and later).
   *
   * @throws IllegalArgumentException for a bad escape or an unknown group, as Python's error
   */
  public String expand(String template, Matcher m) {
    return expandOrCheck(template, Objects.requireNonNull(m, "m"));
  }

  /**
   * Checks a replacement template as Python's {@code re.sub} does before it matches anything (a bad
   * escape, a group the pattern does not have).
   *
   * @throws IllegalArgumentException as Python's error
   */
  public void checkTemplate(String template) {
    expandOrCheck(template, null);
  }

  private String expandOrCheck(String template, Matcher m) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i++);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i >= template.length()) {
        throw new IllegalArgumentException("bad escape (end of pattern) in '" + template + "'");
      }
      char d = template.charAt(i++);
      if (d == 'g') {
        int close = template.indexOf('>', i);
        if (i >= template.length() || template.charAt(i) != '<' || close < 0) {
          throw new IllegalArgumentException("missing group name in '" + template + "'");
        }
        String name = template.substring(i + 1, close);
        i = close + 1;
        out.append(group(m, groupNumber(name)));
      } else if (d == '0') {
        int v = 0;
        int n = 0;
        while (n < 2 && i < template.length() && isOctal(template.charAt(i))) {
          v = v * 8 + (template.charAt(i++) - '0');
          n++;
        }
        out.append((char) v);
      } else if (d >= '1' && d <= '9') {
        if (i + 1 < template.length()
            && isOctal(d)
            && isOctal(template.charAt(i))
            && isOctal(template.charAt(i + 1))) {
          int v = (d - '0') * 64 + (template.charAt(i) - '0') * 8 + (template.charAt(i + 1) - '0');
          if (v > 0377) {
            throw new IllegalArgumentException("octal escape value outside of range");
          }
          out.append((char) v);
          i += 2;
        } else {
          int g = d - '0';
          if (i < template.length() && Character.isDigit(template.charAt(i))) {
            g = g * 10 + (template.charAt(i++) - '0');
          }
          out.append(group(m, g));
        }
      } else {
        String esc = escape(d);
        if (esc != null) {
          out.append(esc);
        } else if (d < 128 && Character.isLetter(d)) {
          throw new IllegalArgumentException("bad escape \\" + d + " in '" + template + "'");
        } else {
          out.append('\\').append(d);
        }
      }
    }
    return out.toString();
  }

  private int groupNumber(String name) {
    if (name.matches("\\d+")) {
      return Integer.parseInt(name);
    }
    Integer n = names.get(name);
    if (n == null) {
      throw new IllegalArgumentException("unknown group name '" + name + "'");
    }
    return n;
  }

  private String group(Matcher m, int g) {
    if (g > pattern.matcher("").groupCount()) {
      throw new IllegalArgumentException("invalid group reference " + g);
    }
    if (m == null) {
      return "";
    }
    String s = m.group(g);
    return s == null ? "" : s;
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  private static String escape(char d) {
    return switch (d) {
      case 'a' -> "\u0007";
      case 'b' -> "\b";
      case 'f' -> "\f";
      case 'n' -> "\n";
      case 'r' -> "\r";
      case 't' -> "\t";
      case 'v' -> "\u000b";
      case '\\' -> "\\";
      default -> null;
    };
  }
}
