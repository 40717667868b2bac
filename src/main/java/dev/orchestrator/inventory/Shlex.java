package dev.orchestrator.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into words as Python's {@code shlex.split(line, comments=True)} does (POSIX mode),
 * which Ansible's INI inventory plugin applies to a host line ({@code _parse_host_definition} in
 * {@code lib/ansible/plugins/inventory/ini.py}, Ansible 2.14): words are separated by white space;
 * {@code '...'} keeps everything literally; {@code "..."} keeps everything but {@code \"} and
 * {@code \\}, which are unescaped; outside quotes a backslash escapes any character; quotes may
 * start or end inside a word ({@code a="b c"} is the word {@code a=b c}); {@code #} outside quotes
 * starts a comment that ends the line, even inside a word ({@code a=b#c} is {@code a=b}).
 */
final class Shlex {
  private Shlex() {}

  /** A line that cannot be split: an unclosed quote, or a backslash at its end. */
  static final class SplitException extends Exception {
    private static final long serialVersionUID = 1L;

    SplitException(String message) {
      super(message);
    }
  }

  /**
   * Splits a line.
   *
   * @param line one line of text
   * @return its words, quotes and escapes removed; an empty quoted word ({@code ""}) is a word
   * @throws SplitException with Python's message ({@code No closing quotation}, {@code No escaped
   *     character}) where Python's shlex raises {@code ValueError}
   */
  static List<String> split(String line) throws SplitException {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false; // a word has started (possibly empty, as "")
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '#') {
        break; // a comment: the rest of the line
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new SplitException("No closing quotation");
        }
        word.append(line, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new SplitException("No closing quotation");
          }
          char d = line.charAt(i);
          if (d == '"') {
            i++;
            break;
          }
          if (d == '\\') {
            if (i + 1 >= n) {
              throw new SplitException("No escaped character");
            }
            char e = line.charAt(i + 1);
            if (e != '"' && e != '\\') {
              word.append('\\'); // inside "...", only \" and \\ are escapes
            }
            word.append(e);
            i += 2;
          } else {
            word.append(d);
            i++;
          }
        }
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          throw new SplitException("No escaped character");
        }
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
