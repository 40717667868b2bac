package dev.orchestrator.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible's regular-expression filters and tests ({@code regex_replace}, {@code regex_search},
 * {@code regex_findall}, {@code regex_escape}, {@code match}, {@code search}, {@code regex}) on
 * Java's {@link Pattern}: Python's {@code (?P<name>...)} and {@code (?P=name)} are translated, and
 * replacements use Python's {@code \1} and {@code \g<name>}. Other differences between Python's
 * {@code re} and Java's regular expressions remain (README, "Templates").
 */
final class PyRegex {
  private PyRegex() {}

  /** Compiles a Python pattern. */
  static Pattern compile(String pattern, boolean ignorecase, boolean multiline) {
    String java = pattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
    int flags =
        Pattern.UNICODE_CHARACTER_CLASS // as Python 3's: \\w, \\d and \\s are Unicode's
            | (ignorecase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)
            | (multiline ? Pattern.MULTILINE : 0);
    try {
      return Pattern.compile(java, flags);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "the regular expression '" + pattern + "' cannot be read: " + e.getDescription());
    }
  }

  /**
   * The subject of a match, which checks the render's time bound ({@link RenderBounds#checkTime})
   * every few thousand characters read: a regular expression that backtracks exponentially ( {@code
   * (a+)+$}) never returns to the template engine, whose nodes are where the bound is otherwise
   * checked.
   */
  static CharSequence timed(String value) {
    return new CharSequence() {
      private int reads;

      @Override
      public int length() {
        return value.length();
      }

      @Override
      public char charAt(int index) {
        if ((++reads & 0xFFF) == 0) {
          RenderBounds.checkTime();
        }
        return value.charAt(index);
      }

      @Override
      public CharSequence subSequence(int start, int end) {
        return value.subSequence(start, end);
      }

      @Override
      public String toString() {
        return value;
      }
    };
  }

  /** Python's {@code re.sub(pattern, replacement, value, count)}. */
  static String replace(
      String value, String pattern, String replacement, boolean icase, boolean ml, int count) {
    Matcher m = compile(pattern, icase, ml).matcher(timed(value));
    StringBuilder out = new StringBuilder();
    int done = 0;
    while ((count <= 0 || done < count) && m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(expand(replacement, m)));
      PyStrings.bounded(out.length());
      done++;
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Expands Python's {@code \1}, {@code \g<1>}, {@code \g<name>} and escapes in a template. */
  static String expand(String template, Matcher m) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '\\' || i + 1 == template.length()) {
        out.append(c);
        continue;
      }
      char n = template.charAt(++i);
      if (Character.isDigit(n)) {
        int j =
            i + 1 < template.length() && Character.isDigit(template.charAt(i + 1)) ? i + 2 : i + 1;
        out.append(group(m, template.substring(i, j)));
        i = j - 1;
      } else if (n == 'g' && i + 1 < template.length() && template.charAt(i + 1) == '<') {
        int end = template.indexOf('>', i);
        if (end < 0) {
          throw new IllegalArgumentException("missing >, unterminated name in " + template);
        }
        out.append(group(m, template.substring(i + 2, end)));
        i = end;
      } else {
        out.append(
            switch (n) {
              case 'n' -> "\n";
              case 't' -> "\t";
              case 'r' -> "\r";
              case '\\' -> "\\";
              default -> "\\" + n;
            });
      }
    }
    return out.toString();
  }

  private static String group(Matcher m, String ref) {
    try {
      String g = ref.matches("\\d+") ? m.group(Integer.parseInt(ref)) : m.group(ref);
      return g == null ? "" : g;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid group reference " + ref);
    }
  }

  /**
   * Ansible's {@code regex_search}: the match, or with {@code \1}/{@code \g<name>} arguments the
   * list of those groups; None when nothing matches.
   */
  static Object search(String value, String regex, List<Object> groups, boolean icase, boolean ml) {
    Matcher m = compile(regex, icase, ml).matcher(timed(value));
    if (!m.find()) {
      return null;
    }
    if (groups.isEmpty()) {
      return m.group();
    }
    List<Object> out = new ArrayList<>();
    for (Object g : groups) {
      String ref = String.valueOf(g);
      if (ref.matches("\\\\\\d+")) {
        out.add(m.group(Integer.parseInt(ref.substring(1))));
      } else if (ref.matches("\\\\g<\\w+>")) {
        out.add(m.group(ref.substring(3, ref.length() - 1)));
      } else {
        throw new IllegalArgumentException("Unknown argument " + ref);
      }
    }
    return out;
  }

  /** Python's {@code re.findall}: the matches, a group's, or a list per match of the groups. */
  static List<Object> findall(String value, String regex, boolean ml, boolean icase) {
    Matcher m = compile(regex, icase, ml).matcher(timed(value));
    List<Object> out = new ArrayList<>();
    while (m.find()) {
      if (m.groupCount() == 0) {
        out.add(m.group());
      } else if (m.groupCount() == 1) {
        out.add(m.group(1) == null ? "" : m.group(1));
      } else {
        List<Object> row = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
          row.add(m.group(g) == null ? "" : m.group(g));
        }
        out.add(row);
      }
      if (out.size() > RenderBounds.MAX_ITEMS) {
        throw new TemplateException(
            "regex_findall finds more than " + RenderBounds.MAX_ITEMS + " matches",
            null,
            RenderBounds.HINT);
      }
    }
    return out;
  }

  /** Python's {@code re.escape}. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("()[]{}?*+-|^$\\.&~# \t\n\r\u000b\f".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Ansible's {@code regex} test: {@code re.match} or {@code re.search} of the pattern. */
  static boolean test(String value, String pattern, boolean icase, boolean ml, boolean match) {
    Matcher m = compile(pattern, icase, ml).matcher(timed(value));
    return match ? m.lookingAt() : m.find();
  }
}
