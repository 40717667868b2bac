package dev.orchestrator.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code k=v} module arguments ({@code copy: src=a dest=b}, {@code debug: msg="hi
 * there"}), read as ansible-core reads them: {@code split_args} splits on spaces and newlines but
 * keeps quoted text and Jinja2 blocks ({@code {{ }}}, {@code {% %}}, {@code {# #}}) whole, then
 * {@code parse_kv} decodes Python escapes in each word, splits it at its first unescaped {@code =}
 * and unquotes the value (ansible-core 2.14 {@code lib/ansible/parsing/splitter.py}; checked
 * against it by {@code KeyValueArgsParityTest}). Words without {@code =} are free-form: for {@code
 * shell}/{@code command} they are the command ({@code _raw_params}), where only {@code creates},
 * {@code removes}, {@code chdir}, {@code executable}, {@code warn}, {@code stdin}, {@code
 * stdin_add_newline} and {@code strip_empty_ends} are taken as arguments.
 */
final class KeyValueArgs {
  private KeyValueArgs() {}

  /** The arguments {@code shell} and {@code command} take from their free-form text. */
  static final List<String> RAW_KEYS =
      List.of(
          "creates",
          "removes",
          "chdir",
          "executable",
          "warn",
          "stdin",
          "stdin_add_newline",
          "strip_empty_ends");

  /** The key free-form words are joined under, as Ansible names it. */
  static final String RAW_PARAMS = "_raw_params";

  private static final Pattern ESCAPE =
      Pattern.compile(
          "\\\\U[0-9a-fA-F]{8}|\\\\u[0-9a-fA-F]{4}|\\\\x[0-9a-fA-F]{2}|\\\\N\\{[^}]+\\}|\\\\[\\\\'\"abfnrtv]");

  /** A text Ansible cannot split: unbalanced quotes or Jinja2 blocks. */
  static final class Unbalanced extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Unbalanced(String message) {
      super(message);
    }
  }

  /**
   * Reads {@code text} as {@code parse_kv(text, check_raw)}.
   *
   * @param text the arguments as written
   * @param checkRaw true for {@code shell}/{@code command}: words that are no {@link #RAW_KEYS}
   *     argument stay free-form
   * @return the arguments in order; free-form words joined under {@link #RAW_PARAMS}
   * @throws Unbalanced on unbalanced quotes or Jinja2 blocks
   */
  static Map<String, String> parse(String text, boolean checkRaw) {
    Map<String, String> options = new LinkedHashMap<>();
    List<String> raw = new ArrayList<>();
    for (String original : split(text)) {
      String x = decodeEscapes(original);
      if (!x.contains("=")) {
        raw.add(original);
        continue;
      }
      Optional<Integer> at = unescapedEquals(x);
      if (at.isEmpty()) {
        raw.add(x.replace("\\=", "="));
        continue;
      }
      String k = x.substring(0, at.get());
      String v = x.substring(at.get() + 1);
      if (checkRaw && !RAW_KEYS.contains(k)) {
        raw.add(original);
      } else {
        options.put(k.strip(), unquote(v.strip()));
      }
    }
    if (!raw.isEmpty()) {
      options.put(RAW_PARAMS, join(raw));
    }
    return options;
  }

  /**
   * The first {@code =} after the word's first character not preceded by a backslash (Ansible
   * starts looking at index 1: a word starting with {@code =} has its key before a later one).
   */
  private static Optional<Integer> unescapedEquals(String x) {
    int pos = 0;
    while (true) {
      pos = x.indexOf('=', pos + 1);
      if (pos < 0) {
        return Optional.empty();
      }
      if (x.charAt(pos - 1) != '\\') {
        return Optional.of(pos);
      }
    }
  }

  /** Python's {@code unquote}: strips one pair of matching outer quotes. */
  static String unquote(String data) {
    if (data.length() > 1
        && data.charAt(0) == data.charAt(data.length() - 1)
        && (data.charAt(0) == '"' || data.charAt(0) == '\'')
        && data.charAt(data.length() - 2) != '\\') {
      return data.substring(1, data.length() - 1);
    }
    return data;
  }

  /** Ansible's {@code _decode_escapes}: Python's unicode escapes, each decoded where it stands. */
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
      case 'U', 'u', 'x' -> {
        int cp = Integer.parseInt(escape.substring(2), 16);
        if (!Character.isValidCodePoint(cp)) {
          throw new Unbalanced("the escape " + escape + " names no character");
        }
        yield new String(Character.toChars(cp));
      }
      case 'N' -> {
        try {
          yield new String(
              Character.toChars(Character.codePointOf(escape.substring(3, escape.length() - 1))));
        } catch (IllegalArgumentException e) {
          throw new Unbalanced("the escape " + escape + " names no character");
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

  /** Ansible's {@code join_args}: words joined by a space, except after a newline. */
  static String join(List<String> words) {
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
   * Ansible's {@code split_args}: splits on spaces and newlines, keeping quoted text and Jinja2
   * blocks whole and the newlines at the end of their words.
   *
   * @throws Unbalanced on unbalanced quotes or Jinja2 blocks
   */
  static List<String> split(String args) {
    List<String> params = new ArrayList<>();
    String[] items = args.split("\n", -1);
    Character quoteChar = null;
    boolean insideQuotes = false;
    int printDepth = 0;
    int blockDepth = 0;
    int commentDepth = 0;
    for (int itemIdx = 0; itemIdx < items.length; itemIdx++) {
      String[] tokens = items[itemIdx].split(" ", -1);
      boolean lineContinuation = false;
      for (int idx = 0; idx < tokens.length; idx++) {
        String token = tokens[idx];
        if (token.isEmpty() && idx != 0) {
          if (params.isEmpty()) {
            throw new Unbalanced("Unable to parse argument string: " + args);
          }
          params.add(params.remove(params.size() - 1) + " ");
          continue;
        }
        if (token.equals("\\") && !insideQuotes) {
          lineContinuation = true;
          continue;
        }
        boolean wasInsideQuotes = insideQuotes;
        quoteChar = quoteState(token, quoteChar);
        insideQuotes = quoteChar != null;
        boolean appended = false;
        boolean inBlock = printDepth > 0 || blockDepth > 0 || commentDepth > 0;
        if (insideQuotes && !wasInsideQuotes && !inBlock) {
          params.add(token);
          appended = true;
        } else if (inBlock || insideQuotes || wasInsideQuotes) {
          String previous = params.isEmpty() ? null : params.remove(params.size() - 1);
          if (previous == null) {
            throw new Unbalanced("failed at splitting arguments: " + args);
          }
          if (idx == 0 && wasInsideQuotes) {
            params.add(previous + token);
          } else if (tokens.length > 1) {
            params.add(previous + (idx > 0 ? " " : "") + token);
          } else {
            params.add(previous + "\n" + token);
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
        if (printDepth == 0
            && blockDepth == 0
            && commentDepth == 0
            && !insideQuotes
            && !appended
            && !token.isEmpty()) {
          params.add(token);
        }
      }
      if (items.length > 1 && itemIdx != items.length - 1 && !lineContinuation) {
        if (params.isEmpty()) {
          throw new Unbalanced("failed at splitting arguments: " + args);
        }
        params.add(params.remove(params.size() - 1) + "\n");
      }
    }
    if (printDepth > 0 || blockDepth > 0 || commentDepth > 0 || insideQuotes) {
      throw new Unbalanced(
          "failed at splitting arguments, either an unbalanced jinja2 block or quotes");
    }
    return params;
  }

  /** Ansible's {@code _get_quote_state}: the open quote after {@code token}, or null. */
  private static Character quoteState(String token, Character quoteChar) {
    Character q = quoteChar;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      char prev = i > 0 ? token.charAt(i - 1) : 0;
      if ((c == '"' || c == '\'') && prev != '\\') {
        if (q != null) {
          if (c == q) {
            q = null;
          }
        } else {
          q = c;
        }
      }
    }
    return q;
  }

  /** Ansible's {@code _count_jinja2_blocks}. */
  private static int depth(String token, int current, String open, String close) {
    int opened = count(token, open);
    int closed = count(token, close);
    if (opened != closed) {
      current += opened - closed;
      if (current < 0) {
        current = 0;
      }
    }
    return current;
  }

  /** Python's {@code str.count}: non-overlapping occurrences. */
  private static int count(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
      n++;
    }
    return n;
  }
}
