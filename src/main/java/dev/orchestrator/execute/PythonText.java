package dev.orchestrator.execute;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Python's ways of printing values that Ansible's results carry: {@code repr(bytes)} (in {@code
 * OSError} messages) and {@code AnsibleModule._clean_args} (a command line shown in a failure, its
 * password arguments masked; ansible-core 2.14 {@code lib/ansible/module_utils/basic.py}).
 */
final class PythonText {
  private PythonText() {}

  /** {@code shlex.quote}'s unsafe characters ({@code [^\w@%+=:,./-]}, ASCII). */
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_@%+=:,./-]");

  /** {@code PASSWD_ARG_RE}. */
  private static final Pattern PASSWORD = Pattern.compile("^-{0,2}pass-?(word|wd)?");

  /** Python's {@code repr(b)}. */
  static String bytesRepr(byte[] b) {
    boolean single = false;
    boolean dbl = false;
    for (byte x : b) {
      single |= x == '\'';
      dbl |= x == '"';
    }
    char quote = single && !dbl ? '"' : '\'';
    StringBuilder out = new StringBuilder("b").append(quote);
    for (byte x : b) {
      int c = x & 0xff;
      if (c == quote || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\x%02x", c));
      } else {
        out.append((char) c);
      }
    }
    return out.append(quote).toString();
  }

  /** Python's {@code shlex.quote}. */
  static String quote(String s) {
    if (s.isEmpty()) {
      return "''";
    }
    return UNSAFE.matcher(s).find() ? "'" + s.replace("'", "'\"'\"'") + "'" : s;
  }

  /** {@code _clean_args}: the words quoted and joined, a password argument masked. */
  static String cleanArgs(List<String> words) {
    StringBuilder out = new StringBuilder();
    boolean password = false;
    for (String w : words) {
      String shown = w;
      if (password) {
        shown = "********";
        password = false;
      } else if (PASSWORD.matcher(w).find()) {
        int eq = w.indexOf('=');
        if (eq > -1) {
          shown = w.substring(0, eq) + "=********";
        } else {
          password = true;
        }
      }
      out.append(out.length() == 0 ? "" : " ").append(quote(shown));
    }
    return out.toString();
  }
}
