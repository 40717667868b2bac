package dev.orchestrator.execute;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Ansible's {@code command} module turns its text into the words of a command, without a shell:
 * Python's {@code shlex.split(text)} (POSIX mode, no comments: {@code
 * lib/ansible/modules/command.py} in ansible-core 2.14), then, word by word, {@code
 * os.path.expanduser(os.path.expandvars(word))} on the host ({@code AnsibleModule.run_command},
 * {@code expand_user_and_vars=True}): {@code $NAME} and {@code ${NAME}} become the host's
 * environment variable when it is set and stay as written when not, and a leading {@code ~} or
 * {@code ~user} becomes that home directory. Nothing else is special: no globbing, no pipes, no
 * redirections, no command substitution.
 *
 * <p>On the host the expansion is done by {@code sh} code made of variable names only: every
 * literal piece of a word travels as an exported value ({@link #script}), never as code.
 */
final class CommandWords {
  private CommandWords() {}

  /** Python's {@code posixpath._varprog}: {@code $word} or {@code ${anything}}, ASCII. */
  private static final Pattern VAR = Pattern.compile("\\$([A-Za-z0-9_]+|\\{[^}]*})");

  /** A name the shell can read (others are never in the environment the shell shows). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** A text that {@code shlex.split} refuses, with Python's message. */
  static final class SplitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    SplitException(String message) {
      super(message);
    }
  }

  /**
   * Splits a command line as Python's {@code shlex.split(text)}: white space ({@code " \t\r\n"})
   * separates words; {@code '...'} keeps everything; {@code "..."} keeps everything but {@code \"}
   * and {@code \\}; outside quotes a backslash escapes any character; an empty quoted word is a
   * word.
   *
   * @throws SplitException {@code No closing quotation} or {@code No escaped character}
   */
  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i++);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (c == '\\') {
        if (i >= text.length()) {
          throw new SplitException("No escaped character");
        }
        word.append(text.charAt(i++));
        inWord = true;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i);
        if (end < 0) {
          throw new SplitException("No closing quotation");
        }
        word.append(text, i, end);
        i = end + 1;
        inWord = true;
      } else if (c == '"') {
        boolean closed = false;
        while (i < text.length()) {
          char d = text.charAt(i++);
          if (d == '"') {
            closed = true;
            break;
          }
          if (d == '\\') {
            if (i >= text.length()) {
              // shlex's escape state inside quotes meets the end first
              throw new SplitException("No escaped character");
            }
            if (text.charAt(i) == '"' || text.charAt(i) == '\\') {
              d = text.charAt(i++);
            }
          }
          word.append(d);
        }
        if (!closed) {
          throw new SplitException("No closing quotation");
        }
        inWord = true;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /**
   * The {@code sh} code that sets {@code target} to {@code word} expanded as Python's {@code
   * expanduser(expandvars(word))} would on the host. Literal pieces are added to {@code values}
   * (exported by the caller) under names starting with {@code prefix}; the code holds only variable
   * names.
   *
   * @param word the word, as split
   * @param target the shell variable that receives the result
   * @param prefix the exported values' name prefix (letters, digits, {@code _})
   * @param values receives the literal pieces
   */
  static String script(
      String word, String target, String prefix, java.util.Map<String, String> values) {
    StringBuilder sh = new StringBuilder(target).append("=; ");
    Matcher m = VAR.matcher(word);
    int last = 0;
    int n = 0;
    while (m.find()) {
      String literal = word.substring(last, m.start());
      if (!literal.isEmpty()) {
        n = literal(sh, literal, target, prefix, n, values);
      }
      String name =
          m.group(1).startsWith("{")
              ? m.group(1).substring(1, m.group(1).length() - 1)
              : m.group(1);
      String written = prefix + n++;
      values.put(written, m.group());
      if (NAME.matcher(name).matches()) {
        sh.append("if [ -n \"${")
            .append(name)
            .append("+x}\" ]; then ")
            .append(target)
            .append("=\"$")
            .append(target)
            .append("${")
            .append(name)
            .append("}\"; else ")
            .append(target)
            .append("=\"$")
            .append(target)
            .append("$")
            .append(written)
            .append("\"; fi; ");
      } else {
        sh.append(target).append("=\"$").append(target).append("$").append(written).append("\"; ");
      }
      last = m.end();
    }
    if (last < word.length()) {
      literal(sh, word.substring(last), target, prefix, n, values);
    }
    return sh.append(tilde(target)).toString();
  }

  private static int literal(
      StringBuilder sh,
      String literal,
      String target,
      String prefix,
      int n,
      java.util.Map<String, String> values) {
    String name = prefix + n;
    values.put(name, literal);
    sh.append(target).append("=\"$").append(target).append("$").append(name).append("\"; ");
    return n + 1;
  }

  /**
   * Python's {@code posixpath.expanduser} on the variable: {@code ~} alone or before {@code /} is
   * {@code $HOME} (the user's home directory when unset), {@code ~user} that user's home when the
   * name is a plain user name that exists, anything else unchanged; a home of {@code /} before a
   * {@code /} gives one slash.
   */
  private static String tilde(String t) {
    return "case $"
        + t
        + " in \"~\"*) __u=${"
        + t
        + "#\"~\"}; __r=; case $__u in */*) __r=/${__u#*/}; __u=${__u%%/*};; esac; __h=; "
        + "if [ -z \"$__u\" ]; then if [ -n \"${HOME+x}\" ]; then __h=$HOME; else __h=$(cd ~ && pwd); fi; "
        + "else case $__u in *[!A-Za-z0-9._-]*|-*) __h=;; *) eval \"__h=~$__u\"; "
        + "[ \"$__h\" = \"~$__u\" ] && __h=;; esac; fi; "
        + "if [ -n \"$__h\" ] || [ -z \"$__u\" ]; then __h=${__h%\"${__h##*[!/]}\"}; "
        + t
        + "=$__h$__r; [ -n \"$"
        + t
        + "\" ] || "
        + t
        + "=/; fi;; esac; ";
  }
}
