package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code k=v} argument strings, split and read as ansible-core 2.14 does ({@code
 * split_args} and {@code parse_kv} in {@code lib/ansible/parsing/splitter.py}, {@code unquote} in
 * {@code lib/ansible/parsing/quoting.py}): what {@code ansible-playbook -e 'a=1 b="x y"'} and a
 * module's free-form {@code k=v} arguments go through.
 *
 * <p>The text is split on spaces and line breaks, except inside quotes and Jinja2 blocks ({@code {{
 * }}}, {@code {% %}}, {@code {# #}}), which are kept whole with their spaces; then, in each word,
 * Python's escape sequences (backslash then {@code n}, {@code t}, a backslash, a quote, {@code
 * xNN}, {@code uNNNN}, {@code UNNNNNNNN} or {@code N{NAME}}) are decoded; the first {@code =} after
 * the word's first character that is not escaped ({@code \=}) separates the key (stripped) from the
 * value (stripped, then one pair of matching outer quotes removed). A word without such an {@code
 * =} is a free-form word ({@link Parsed#rawParams}). Every value is text.
 */
public final class KeyValues {
  private static final Pattern ESCAPE =
      Pattern.compile(
          "\\\\U[0-9a-fA-F]{8}|\\\\u[0-9a-fA-F]{4}|\\\\x[0-9a-fA-F]{2}|\\\\N\\{[^}]+}"
              + "|\\\\[\\\\'\"abfnrtv]");

  /** Python's {@code str.isspace} characters, which {@code str.strip()} removes. */
  private static final String PYTHON_SPACE =
      "\t\n\u000b\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004"
          + "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

  private KeyValues() {}

  /**
   * What a {@code k=v} string holds.
   *
   * @param options the values by key, in the order first given (a later one replaces an earlier
   *     one's value, as a Python dict does)
   * @param rawParams the words without {@code k=}, in order ({@code \=} in them unescaped)
   */
  public record Parsed(Map<String, String> options, List<String> rawParams) {
    /** Copies the fields, keeping the order. */
    public Parsed {
      options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
      rawParams = List.copyOf(rawParams);
    }
  }

  /**
   * Reads a {@code k=v} string as Ansible's {@code parse_kv} (without {@code check_raw}).
   *
   * @param args the text
   * @return its options and free-form words
   * @throws InputException when quotes or Jinja2 blocks are unbalanced, the text cannot be split
   *     (Ansible's "Unable to parse argument string", e.g. a leading run of spaces) or an escape
   *     sequence names no character
   */
  public static Parsed parse(String args) {
    return parse(args, false);
  }

  /**
   * The arguments {@code shell} and {@code command} take from their free-form text ({@code
   * parse_kv(check_raw=True)}); any other {@code k=v} word there is part of the command.
   */
  public static final List<String> RAW_KEYS =
      List.of(
          "creates",
          "removes",
          "chdir",
          "executable",
          "warn",
          "stdin",
          "stdin_add_newline",
          "strip_empty_ends");

  /**
   * Reads a {@code k=v} string as Ansible's {@code parse_kv(args, check_raw)}: with {@code
   * checkRaw} (a {@code shell}/{@code command} module's free-form text), a {@code k=v} word whose
   * key is not one of {@link #RAW_KEYS} stays a free-form word, as written.
   *
   * @param args the text
   * @param checkRaw whether only {@link #RAW_KEYS} are arguments
   * @return its options and free-form words ({@link #join} them as Ansible's {@code _raw_params})
   * @throws InputException as {@link #parse(String)}
   */
  public static Parsed parse(String args, boolean checkRaw) {
    Objects.requireNonNull(args, "args");
    Map<String, String> options = new LinkedHashMap<>();
    List<String> raw = new ArrayList<>();
    for (String word : split(args)) {
      String x = decodeEscapes(word);
      int pos = unescapedEquals(x);
      if (pos < 0) {
        raw.add(x.contains("=") ? x.replace("\\=", "=") : word);
        continue;
      }
      if (checkRaw && !RAW_KEYS.contains(x.substring(0, pos))) {
        raw.add(word);
        continue;
      }
      options.put(strip(x.substring(0, pos)), unquote(strip(x.substring(pos + 1))));
    }
    return new Parsed(options, raw);
  }

  /** Ansible's {@code join_args}: free-form words joined by a space, except after a newline. */
  public static String join(List<String> words) {
    StringBuilder result = new StringBuilder();
    for (String p : words) {
      if (result.length() == 0 || result.charAt(result.length() - 1) == '\n') {
        result.append(p);
      } else {
        result.append(' ').append(p);
      }
    }
    return result.toString();
  }

  /**
   * Splits a {@code k=v} string into words as Ansible's {@code split_args}: on spaces and line
   * breaks, keeping quoted text and Jinja2 blocks whole (with their quotes and braces).
   *
   * @param args the text
   * @return the words, in order
   * @throws InputException when quotes or Jinja2 blocks are unbalanced or the text cannot be split
   */
  public static List<String> split(String args) {
    List<String> params = new ArrayList<>();
    String[] items = args.split("\n", -1);
    Character quote = null;
    boolean insideQuotes = false;
    int printDepth = 0;
    int blockDepth = 0;
    int commentDepth = 0;
    try {
      for (int itemIdx = 0; itemIdx < items.length; itemIdx++) {
        String[] tokens = items[itemIdx].split(" ", -1);
        boolean continuation = false;
        for (int idx = 0; idx < tokens.length; idx++) {
          String token = tokens[idx];
          if (token.isEmpty() && idx != 0) {
            appendToLast(params, " ");
            continue;
          }
          if (token.equals("\\") && !insideQuotes) {
            continuation = true;
            continue;
          }
          boolean wasInsideQuotes = insideQuotes;
          quote = quoteState(token, quote);
          insideQuotes = quote != null;
          boolean inBlock = printDepth > 0 || blockDepth > 0 || commentDepth > 0;
          boolean appended = false;
          if (insideQuotes && !wasInsideQuotes && !inBlock) {
            params.add(token);
            appended = true;
          } else if (inBlock || insideQuotes || wasInsideQuotes) {
            if (idx == 0 && wasInsideQuotes) {
              appendToLast(params, token);
            } else if (tokens.length > 1) {
              appendToLast(params, (idx > 0 ? " " : "") + token);
            } else {
              appendToLast(params, "\n" + token);
            }
            appended = true;
          }
          int before = printDepth;
          printDepth = depth(token, printDepth, "{{", "}}");
          if (printDepth != before && !appended) {
            params.add(token);
            appended = true;
          }
          before = blockDepth;
          blockDepth = depth(token, blockDepth, "{%", "%}");
          if (blockDepth != before && !appended) {
            params.add(token);
            appended = true;
          }
          before = commentDepth;
          commentDepth = depth(token, commentDepth, "{#", "#}");
          if (commentDepth != before && !appended) {
            params.add(token);
            appended = true;
          }
          boolean nowInBlock = printDepth > 0 || blockDepth > 0 || commentDepth > 0;
          if (!nowInBlock && !insideQuotes && !appended && !token.isEmpty()) {
            params.add(token);
          }
        }
        if (items.length > 1 && itemIdx != items.length - 1 && !continuation) {
          appendToLast(params, "\n");
        }
      }
    } catch (IndexOutOfBoundsException e) {
      throw new InputException(
          "unable to parse the argument string '" + args + "'",
          "remove the leading white space (Ansible cannot split it either)");
    }
    if (printDepth > 0 || blockDepth > 0 || commentDepth > 0 || insideQuotes) {
      throw new InputException(
          "unbalanced quotes or Jinja2 block in '" + args + "'",
          "close every quote and {{ }}, {% %}, {# #} block, or quote the whole value");
    }
    return params;
  }

  private static void appendToLast(List<String> params, String text) {
    int last = params.size() - 1;
    params.set(last, params.get(last) + text);
  }

  /** Ansible's {@code _get_quote_state}: the open quote after {@code token}, or null. */
  private static Character quoteState(String token, Character quote) {
    Character q = quote;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      boolean escaped = i > 0 && token.charAt(i - 1) == '\\';
      if ((c == '"' || c == '\'') && !escaped) {
        if (q == null) {
          q = c;
        } else if (q == c) {
          q = null;
        }
      }
    }
    return q;
  }

  /** Ansible's {@code _count_jinja2_blocks}. */
  private static int depth(String token, int depth, String open, String close) {
    int opened = count(token, open);
    int closed = count(token, close);
    if (opened == closed) {
      return depth;
    }
    return Math.max(0, depth + opened - closed);
  }

  /** Python's {@code str.count}: non-overlapping occurrences. */
  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  /** The first {@code =} after index 0 not preceded by {@code \}, or -1. */
  private static int unescapedEquals(String x) {
    for (int pos = x.indexOf('=', 1); pos >= 0; pos = x.indexOf('=', pos + 1)) {
      if (x.charAt(pos - 1) != '\\') {
        return pos;
      }
    }
    return -1;
  }

  /** Ansible's {@code _decode_escapes}: Python's escape sequences, each decoded. */
  static String decodeEscapes(String s) {
    Matcher m = ESCAPE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(decode(m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String decode(String escape) {
    char kind = escape.charAt(1);
    return switch (kind) {
      case 'U', 'u', 'x' -> codePoint(escape, Long.parseLong(escape.substring(2), 16));
      case 'N' -> {
        String name = escape.substring(3, escape.length() - 1);
        try {
          yield Character.toString(Character.codePointOf(name));
        } catch (IllegalArgumentException e) {
          throw new InputException(
              "'" + escape + "' names no Unicode character", "write the character itself");
        }
      }
      case 'a' -> "\u0007";
      case 'b' -> "\b";
      case 'f' -> "\f";
      case 'n' -> "\n";
      case 'r' -> "\r";
      case 't' -> "\t";
      case 'v' -> "\u000b";
      default -> String.valueOf(kind); // \\ \' \"
    };
  }

  private static String codePoint(String escape, long value) {
    if (value > Character.MAX_CODE_POINT) {
      throw new InputException(
          "'" + escape + "' is beyond the last Unicode character (U+10FFFF)",
          "write a code point up to 10FFFF");
    }
    return new String(Character.toChars((int) value));
  }

  /** Python's {@code str.strip()}. */
  static String strip(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && PYTHON_SPACE.indexOf(s.charAt(from)) >= 0) {
      from++;
    }
    while (to > from && PYTHON_SPACE.indexOf(s.charAt(to - 1)) >= 0) {
      to--;
    }
    return s.substring(from, to);
  }

  /** Ansible's {@code unquote}: one pair of matching outer quotes removed. */
  static String unquote(String data) {
    boolean quoted =
        data.length() > 1
            && data.charAt(0) == data.charAt(data.length() - 1)
            && (data.charAt(0) == '"' || data.charAt(0) == '\'')
            && data.charAt(data.length() - 2) != '\\';
    return quoted ? data.substring(1, data.length() - 1) : data;
  }
}
