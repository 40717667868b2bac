package dev.orchestrator.template;

import dev.orchestrator.template.ShellLexer.Context;
import dev.orchestrator.template.ShellLexer.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A shell command rendered so that template values are never shell code: each {@code {{ x }}}
 * becomes a reference to an exported variable ({@code ${__ORCH_1}}), written to suit where it
 * stands ({@link ShellLexer} tells), and the values travel in {@link #values()}. The shell expands
 * a reference once and never parses its result as code.
 *
 * <ul>
 *   <li>Outside quotes, a value is split into words on the controller (on spaces, tabs and
 *       newlines, as the shell's default {@code IFS} would) and each word becomes one double-quoted
 *       reference: {@code "${__ORCH_1}" "${__ORCH_2}"}; an empty value gives no word. So {@code
 *       occ: "php /srv/occ"} works as a command prefix, and no word is ever a glob pattern.
 *   <li>Where the shell does not split (an assignment {@code x={{ v }}}, a redirection target, a
 *       {@code case} word or pattern, {@code [[ ]]}) and for {@code {{ x | quote }}} outside
 *       quotes: one word, {@code "${__ORCH_1}"}.
 *   <li>Inside double quotes and unquoted here-documents: {@code ${__ORCH_1}}. Inside single
 *       quotes: {@code '"${__ORCH_1}"'} (and {@code '"${__ORCH_1}"$'} inside {@code $'...'}).
 *   <li>In arithmetic ({@code $(( ))}, {@code (( ))}, {@code let}, the operands of {@code [[ -eq
 *       ]]} and kin, array subscripts), where bash would run a command substitution hidden in a
 *       value such as {@code a[$(cmd)]}, the value must be an integer, or the render fails.
 * </ul>
 *
 * <p>{@code | quote} thus means "one word" in every context. Where the value would be parsed again
 * as code (a nested shell: {@code sh -c '... {{ v }}'}, {@code su -c}, {@code eval}, ... see {@link
 * NestedCode}) or cannot be referred to (a quoted here-document), the template is refused with a
 * hint. {@code {{ x | raw }}} opts out everywhere: the text goes into the command as it is.
 *
 * @param text the command text with references
 * @param values the variables to export, in order
 */
public record ShellTemplate(String text, Map<String, String> values) {
  /** The prefix of the exported variables' names. */
  public static final String PREFIX = "__ORCH_";

  /** Validates the fields. */
  public ShellTemplate {
    Objects.requireNonNull(text, "text");
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** An integer literal, the only value allowed in arithmetic. */
  private static final Pattern INTEGER =
      Pattern.compile("\\s*[+-]?(?:0[xX][0-9A-Fa-f]+|[0-9]+)\\s*");

  /** A template rewritten for rendering, and its placeholders. */
  record Prepared(String template, List<Site> sites) {
    /** Whether a value is used in shell arithmetic (which {@link #reference} checks). */
    boolean hasArithmetic() {
      return sites.stream().anyMatch(s -> s.context == Context.ARITH && !s.raw());
    }

    /** Whether a value names a program (which {@link #checkCommandWords} checks per host). */
    boolean hasCommandWords() {
      return sites.stream().anyMatch(s -> s.commandWord && !s.raw());
    }
  }

  /** Prepared templates by their text: the same steps render on every host. */
  private static final Map<String, Prepared> PREPARED = new ConcurrentHashMap<>();

  /**
   * Checks a shell template without values: refuses a placeholder whose value would be parsed again
   * as code, or that stands in a quoted here-document.
   *
   * @throws TemplateException naming the placeholder, with a hint
   */
  static void check(String template) {
    prepare(template);
  }

  /**
   * Rewrites a template's {@code {{ expr }}} into {@code {{ orch_sh((expr), 'CN') }}}, C being how
   * to refer to the value (see {@link #reference}) and N the placeholder's index; {@code raw}
   * expressions go in as they are. Jinja tags and comments are left alone.
   *
   * @throws TemplateException when a placeholder stands where its value would be code
   */
  static Prepared prepare(String template) {
    Prepared cached = PREPARED.get(template);
    if (cached != null) {
      return cached;
    }
    List<Site> sites = ShellLexer.lex(template);
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (int i = 0; i < sites.size(); i++) {
      Site site = sites.get(i);
      out.append(template, at, site.start);
      at = site.end;
      String expr = site.expr;
      if (expr.isEmpty()) {
        out.append(template, site.start, site.end);
        continue;
      }
      if (site.raw()) {
        out.append("{{ ").append(expr.replaceAll("\\|\\s*raw\\s*$", "")).append(" }}");
        continue;
      }
      refuse(template, site);
      char kind =
          switch (site.context) {
            case SPLIT -> site.quoted() ? 'w' : 'u';
            case WORD -> 'w';
            case DOUBLE, COMMENT, LITERAL_HEREDOC -> 'd';
            case SINGLE -> 's';
            case ANSI -> 'S';
            case ARITH -> 'a';
          };
      if (site.quoted()) {
        expr = expr.replaceAll("\\|\\s*quote\\s*$", "");
      }
      out.append("{{ orch_sh((").append(expr).append("), '").append(kind).append(i).append("') }}");
    }
    out.append(template, at, template.length());
    Prepared prepared = new Prepared(out.toString(), List.copyOf(sites));
    if (PREPARED.size() > 2048) {
      PREPARED.clear();
    }
    PREPARED.put(template, prepared);
    return prepared;
  }

  private static void refuse(String template, Site site) {
    String where =
        "{{ "
            + site.expr
            + " }}"
            + (template.indexOf('\n') >= 0
                ? " (line " + line(template, site.start) + " of the command)"
                : "");
    String expr = site.expr;
    if (site.codeReason != null) {
      throw new TemplateException(
          where + " would be parsed again as code: " + site.codeReason,
          null,
          String.format(site.codeHint, expr, expr, expr));
    }
    if (site.context == Context.LITERAL_HEREDOC) {
      throw new TemplateException(
          where + " stands in a quoted here-document (<<'EOF'), which the shell does not expand",
          null,
          "use an unquoted here-document (<<EOF, where $, ` and \\ must then be escaped) so the"
              + " value can be passed as a variable, or write {{ "
              + expr
              + " | raw }} if its text is meant to go in as it is");
    }
  }

  /**
   * A value that stands as a command word ({@code {{ occ }} status}, {@code {{ as_web_user }} sh -c
   * ...}) names the program, so the command is checked again with that value written out as literal
   * words: {@code {{ w }} {{ v }}} with {@code w: eval} is then refused like {@code eval {{ v }}},
   * while {@code occ: php /srv/occ} passes.
   *
   * @throws TemplateException naming the placeholder that the program would parse again as code
   */
  static void checkCommandWords(String template, Prepared prepared, Map<Integer, String> values) {
    if (!prepared.hasCommandWords()) {
      return;
    }
    // hosts mostly share their programs' values: check each combination once
    StringBuilder key = new StringBuilder(template);
    for (int i = 0; i < prepared.sites().size(); i++) {
      if (prepared.sites().get(i).commandWord) {
        key.append('\u0000').append(values.get(i));
      }
    }
    TemplateException known = CHECKED.get(key.toString());
    if (known == NONE) {
      return;
    }
    if (known != null) {
      throw new TemplateException(known.getMessage(), null, known.hint().orElse(null));
    }
    if (CHECKED.size() > 2048) {
      CHECKED.clear();
    }
    try {
      resolve(template, prepared, values);
      CHECKED.put(key.toString(), NONE);
    } catch (TemplateException e) {
      CHECKED.put(key.toString(), e);
      throw e;
    }
  }

  /** Results of {@link #checkCommandWords} by template and command-word values. */
  private static final Map<String, TemplateException> CHECKED = new ConcurrentHashMap<>();

  private static final TemplateException NONE = new TemplateException("", null);

  private static void resolve(String template, Prepared prepared, Map<Integer, String> values) {
    String current = template;
    List<Site> sites = prepared.sites();
    List<Integer> original = new ArrayList<>();
    for (int i = 0; i < sites.size(); i++) {
      original.add(i);
    }
    // one command word at a time: once it is written out, the lexer tells which of the later
    // values are its arguments and which another program's (a wrapper's) command word
    for (int round = 0; round <= original.size(); round++) {
      int k = 0;
      while (k < sites.size()
          && !(sites.get(k).commandWord
              && !sites.get(k).raw()
              && values.get(original.get(k)) != null)) {
        k++;
      }
      if (k == sites.size()) {
        return;
      }
      Site site = sites.get(k);
      String v = values.get(original.remove(k));
      StringBuilder word = new StringBuilder();
      if (site.context != Context.SPLIT || site.quoted()) {
        word.append(literal(v));
      } else {
        for (String w : v.strip().split("[ \\t\\n]+")) {
          word.append(literal(w)).append(' ');
        }
      }
      current = current.substring(0, site.start) + word + current.substring(site.end);
      sites = ShellLexer.lex(current);
      for (Site s : sites) {
        if (!s.raw() && s.codeReason != null) {
          try {
            refuse(current, s);
          } catch (TemplateException e) {
            throw new TemplateException(
                e.getMessage() + " (with the program that a template value names on this host)",
                null,
                e.hint().orElse(null));
          }
        }
      }
    }
  }

  /** A value as one single-quoted shell word in which no {@code {{}, {@code {%} or {@code {#}. */
  private static String literal(String v) {
    return "'" + v.replace("'", "'\\''").replace("{", "{''") + "'";
  }

  private static int line(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The values and problems of one render (the {@code orch_sh} function adds to it). */
  static final class Capture {
    final List<String> values = new ArrayList<>();
    final List<Site> sites;
    final Map<Integer, String> siteValues = new java.util.HashMap<>();
    TemplateException failure;

    Capture(List<Site> sites) {
      this.sites = sites;
    }

    private String ref(String value) {
      values.add(value);
      return "${" + PREFIX + values.size() + "}";
    }
  }

  static final ThreadLocal<Capture> CAPTURED = new ThreadLocal<>();

  /**
   * The {@code orch_sh} template function: records a value and returns its reference for the
   * placeholder's context. Public for Jinjava.
   *
   * @param value the value
   * @param context how to refer to it ({@code u}, {@code w}, {@code d}, {@code s}, {@code S} or
   *     {@code a}) followed by the placeholder's index
   * @return the text that refers to the value
   */
  public static String reference(Object value, String context) {
    String v = value == null ? "" : String.valueOf(value);
    Capture capture = CAPTURED.get();
    if (capture == null) {
      return v;
    }
    char kind = context.charAt(0);
    capture.siteValues.put(Integer.parseInt(context.substring(1)), v);
    return switch (kind) {
      case 'u' -> words(capture, v);
      case 'w' -> "\"" + capture.ref(v) + "\"";
      case 's' -> "'\"" + capture.ref(v) + "\"'";
      case 'S' -> "'\"" + capture.ref(v) + "\"$'";
      case 'a' -> {
        if (!INTEGER.matcher(v).matches()) {
          Site site = capture.sites.get(Integer.parseInt(context.substring(1)));
          if (capture.failure == null) {
            capture.failure =
                new TemplateException(
                    "{{ "
                        + site.expr
                        + " }} stands in shell arithmetic ($(( )), (( )), let, [[ -eq ]] or a"
                        + " subscript), where bash runs the commands a value such as a[$(cmd)]"
                        + " holds; its value must be an integer, and is not",
                    null,
                    "give it an integer value, or write {{ " + site.expr + " | int }}");
          }
          yield "0";
        }
        yield capture.ref(v);
      }
      default -> capture.ref(v);
    };
  }

  /** One double-quoted reference per word of {@code v}, split on spaces, tabs and newlines. */
  private static String words(Capture capture, String v) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = v.length();
    while (i < n) {
      if (isBlank(v.charAt(i))) {
        while (i < n && isBlank(v.charAt(i))) {
          i++;
        }
        out.append(' ');
        continue;
      }
      int start = i;
      while (i < n && !isBlank(v.charAt(i))) {
        i++;
      }
      out.append('"').append(capture.ref(v.substring(start, i))).append('"');
    }
    return out.toString();
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n';
  }

  static Map<String, String> values(List<String> captured) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < captured.size(); i++) {
      out.put(PREFIX + (i + 1), captured.get(i));
    }
    return out;
  }
}
