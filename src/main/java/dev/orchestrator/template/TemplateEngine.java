package dev.orchestrator.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.InvalidArgumentException;
import com.hubspot.jinjava.interpret.InvalidInputException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import com.hubspot.jinjava.interpret.UnknownTokenException;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code {{ }}} templates with Jinjava. Unlike Jinja's default, an undefined variable (or a
 * map's missing key, {@code result.stdot}) is an error ({@link
 * TemplateException#undefinedVariable()} names it) wherever it is used, also through any filter
 * ({@code {{ nope | quote }}} is not {@code ''}), as Ansible's {@code StrictUndefined} ({@link
 * Undefined}); use {@code | default(...)} for optional values ({@code {{ nope | default('') | quote
 * }}} asks for empty). Adds the {@code quote} filter, which shell-quotes a value ({@link
 * ShellQuote}; in a shell command rendered by {@link #renderShell} it means "one word", see {@link
 * ShellTemplate}), and {@code version_compare}, which compares dotted versions ({@code a |
 * version_compare(b) < 0}). Thread-safe.
 *
 * <p>A variable defined with the value {@code null} (YAML {@code ~}) is not undefined: {@code
 * quote} makes it {@code ''}, as Ansible's quote filter does ({@code if a is None: a = u''} in
 * lib/ansible/plugins/filter/core.py); {@code version_compare} refuses it.
 */
public final class TemplateEngine {
  private static final Pattern IDENT =
      Pattern.compile(
          "(?<![.\\w|'\"])([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)(?!\\w|\\s*\\()");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and", "or", "not", "in", "is", "true", "false", "none", "True", "False", "None", "if",
          "else");

  /** How many levels of variables that refer to variables are rendered. */
  public static final int MAX_DEPTH = 10;

  private final Jinjava jinjava;

  /**
   * Creates an engine with strict undefined handling ({@link Undefined}: variables, map keys, every
   * filter and test), the {@code quote}, {@code raw} and {@code version_compare} filters, and the
   * function behind {@link #renderShell}.
   */
  public TemplateEngine() {
    jinjava =
        new Jinjava(
            JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withElResolver(Undefined.strictResolver())
                .build());
    Undefined.strictVariables(jinjava);
    jinjava
        .getGlobalContext()
        .registerFunction(
            new com.hubspot.jinjava.lib.fn.ELFunctionDefinition(
                "", "orch_sh", ShellTemplate.class, "reference", Object.class, String.class));
    ProjectFilters.register(jinjava.getGlobalContext());
    Undefined.strictFilters(jinjava);
    Undefined.strictTests(jinjava);
    globalCopy = ThreadLocal.withInitial(jinjava::getGlobalContextCopy);
  }

  /** Returns the names of every filter a template can use (Jinjava's and this project's). */
  java.util.SortedSet<String> filterNames() {
    return new java.util.TreeSet<>(
        jinjava.getGlobalContext().getAllFilters().stream().map(Filter::getName).toList());
  }

  /**
   * Compares two dotted versions numerically ({@code 27.1.11} &lt; {@code 28.0.1} &lt; {@code
   * 28.0.10}); a missing part counts as 0, a non-numeric part compares as text.
   *
   * @return negative, zero or positive, as {@link Comparable}
   */
  public static int compareVersions(String a, String b) {
    String[] x = a.trim().split("\\.");
    String[] y = b.trim().split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      int c;
      try {
        c = Long.compare(Long.parseLong(p), Long.parseLong(q));
      } catch (NumberFormatException e) {
        c = p.compareTo(q);
      }
      if (c != 0) {
        return Integer.signum(c);
      }
    }
    return 0;
  }

  /**
   * Renders a shell command so that template values are never shell code ({@link ShellTemplate}):
   * values become exported variables the command refers to, as suits where each stands.
   *
   * @throws TemplateException on an undefined variable, a syntax error, a placeholder whose value
   *     the command would parse again as code (a nested shell, see {@link #checkShell}), or a value
   *     in shell arithmetic that is not an integer
   */
  public ShellTemplate renderShell(String template, Map<String, Object> vars) {
    if (!isTemplate(template)) {
      return new ShellTemplate(template, Map.of());
    }
    render(template, vars); // undefined variables and syntax errors surface as in any template
    ShellTemplate.Prepared prepared = ShellTemplate.prepare(template);
    ShellTemplate.Capture capture = new ShellTemplate.Capture(prepared.sites());
    ShellTemplate.CAPTURED.set(capture);
    try {
      String text = render(prepared.template(), vars);
      if (capture.failure != null) {
        throw capture.failure;
      }
      ShellTemplate.checkCommandWords(template, prepared, capture.siteValues);
      return new ShellTemplate(text, ShellTemplate.values(capture.values));
    } finally {
      ShellTemplate.CAPTURED.remove();
    }
  }

  /**
   * Checks a shell template before anything runs, without values: refuses a {@code {{ }}} whose
   * value the command would parse again as code (inside {@code sh -c '...'}, {@code bash -lc},
   * {@code su -c}, {@code sudo -s}, {@code eval}, {@code ssh HOST CMD}, a here-document or pipe
   * feeding a shell, another interpreter's program text, the arguments of a command word that is a
   * shell expansion, a shell behind any program, make's and git's code arguments; directly or
   * through a variable or a file that holds the value: {@link NestedCode}, {@link ValueFlow}) or
   * that stands in a quoted here-document. {@code | raw} placeholders are the author's choice and
   * pass.
   *
   * @throws TemplateException naming the placeholder and its line, with a hint ({@link
   *     TemplateException#hint()}) showing the safe idiom
   */
  public void checkShell(String template) {
    if (isTemplate(template)) {
      ShellTemplate.check(template);
    }
  }

  /**
   * Checks what {@link #renderShell} checks of a shell command's values, without rendering it when
   * no check applies (planning renders every step of every host): a value used in shell arithmetic
   * must be an integer, and a value that names the program is checked as that program ({@code {{ w
   * }} {{ v }}} with {@code w: eval} is refused).
   *
   * @throws TemplateException as {@link #renderShell} does
   */
  public void checkShellValues(String template, Map<String, Object> vars) {
    ShellTemplate.Prepared prepared = isTemplate(template) ? ShellTemplate.prepare(template) : null;
    if (prepared != null && (prepared.hasArithmetic() || prepared.hasCommandWords())) {
      renderShell(template, vars);
    }
  }

  /** Returns whether {@code text} contains template syntax at all. */
  public static boolean isTemplate(String text) {
    return text.contains("{{") || text.contains("{%");
  }

  /**
   * Renders a template.
   *
   * @param template the template text
   * @param vars the variables
   * @return the rendered text
   * @throws TemplateException on an undefined variable or a syntax error
   */
  public String render(String template, Map<String, Object> vars) {
    if (!isTemplate(template)) {
      return template;
    }
    checkFilters(template);
    return renderFlat(template, resolveVars(template, vars));
  }

  private static final Pattern BLOCK = Pattern.compile("\\{\\{(.*?)}}|\\{%(.*?)%}", Pattern.DOTALL);
  private static final Pattern RAW_BLOCK =
      Pattern.compile("\\{%-?\\s*raw\\s*-?%}.*?\\{%-?\\s*endraw\\s*-?%}", Pattern.DOTALL);
  private static final Pattern STRING_LITERAL = Pattern.compile("'[^']*'|\"[^\"]*\"");
  private static final Pattern FILTER_USE = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");

  /**
   * Refuses a filter that does not exist, whether or not the variables are defined: Jinjava reports
   * {@code x | nosuchfilter} as the unknown token {@code x | nosuchfilter}, which read as an
   * undefined variable.
   *
   * @throws TemplateException naming the filter and the known filters nearest to it
   */
  private void checkFilters(String template) {
    if (template.indexOf('|') < 0) {
      return;
    }
    Matcher block = BLOCK.matcher(RAW_BLOCK.matcher(template).replaceAll(""));
    while (block.find()) {
      String expr = block.group(1) != null ? block.group(1) : block.group(2);
      Matcher f = FILTER_USE.matcher(STRING_LITERAL.matcher(expr).replaceAll("''"));
      while (f.find()) {
        String name = f.group(1);
        if (jinjava.getGlobalContext().getFilter(name) == null) {
          java.util.List<String> near =
              dev.orchestrator.common.Suggestions.near(
                  name,
                  jinjava.getGlobalContext().getAllFilters().stream().map(Filter::getName).toList(),
                  5);
          throw new TemplateException(
              "unknown filter '" + name + "'",
              null,
              (near.isEmpty()
                      ? "no filter has a similar name"
                      : "did you mean "
                          + String.join(", ", near.stream().map(n -> "'" + n + "'").toList())
                          + "?")
                  + "; this project adds quote, raw and version_compare to Jinjava's filters"
                  + " (default, lower, upper, replace, join, ...)");
        }
      }
    }
  }

  /**
   * Returns {@code vars} with the string values that are themselves templates rendered (Ansible's
   * recursive templating, e.g. {@code occ: "php {{ nextcloud_root }}/occ"}), up to {@link
   * #MAX_DEPTH} levels. A var that cannot be rendered only fails a template that uses it.
   */
  private Map<String, Object> resolveVars(String template, Map<String, Object> vars) {
    Map<String, Object> resolved = null;
    for (Map.Entry<String, Object> e : vars.entrySet()) {
      if (!(e.getValue() instanceof String value) || !isTemplate(value)) {
        continue;
      }
      if (resolved == null) {
        resolved = new java.util.HashMap<>(vars);
      }
      String current = value;
      try {
        for (int depth = 0; depth < MAX_DEPTH && isTemplate(current); depth++) {
          current = renderFlat(current, vars);
        }
        if (isTemplate(current)) {
          throw new TemplateException("the value of '" + e.getKey() + "' refers to itself", null);
        }
        resolved.put(e.getKey(), current);
      } catch (TemplateException err) {
        if (Pattern.compile("(?<![\\w.])" + Pattern.quote(e.getKey()) + "(?!\\w)")
            .matcher(template)
            .find()) {
          throw new TemplateException(
              err.getMessage() + " (in the value of variable '" + e.getKey() + "')",
              err.undefinedVariable().orElse(null));
        }
      }
    }
    return resolved == null ? vars : resolved;
  }

  /**
   * A copy of Jinjava's global context (all filters, tests and functions) per thread, made once:
   * {@code Jinjava.renderForResult} copies it on every call, which made planning 10,000 hosts take
   * 16 s (issue #6). A render's own context is a cheap child of this copy.
   */
  private final ThreadLocal<Context> globalCopy;

  /** Renders like {@code Jinjava.renderForResult}, on this thread's copy of the global context. */
  private RenderResult renderForResult(String template, Map<String, Object> vars) {
    JinjavaConfig config = jinjava.getGlobalConfig();
    Context context = new Context(globalCopy.get(), vars, config.getDisabled());
    JinjavaInterpreter interpreter =
        config.getInterpreterFactory().newInstance(jinjava, context, config);
    JinjavaInterpreter.pushCurrent(interpreter);
    try {
      String output = interpreter.render(template);
      return new RenderResult(output, interpreter.getContext(), interpreter.getErrorsCopy());
    } catch (TemplateSyntaxException e) {
      return new RenderResult(
          TemplateError.fromException(e), interpreter.getContext(), interpreter.getErrorsCopy());
    } catch (InterpretException e) {
      return new RenderResult(
          TemplateError.fromSyntaxError(e), interpreter.getContext(), interpreter.getErrorsCopy());
    } catch (InvalidArgumentException e) {
      return new RenderResult(
          TemplateError.fromInvalidArgumentException(e),
          interpreter.getContext(),
          interpreter.getErrorsCopy());
    } catch (InvalidInputException e) {
      return new RenderResult(
          TemplateError.fromInvalidInputException(e),
          interpreter.getContext(),
          interpreter.getErrorsCopy());
    } catch (RuntimeException e) {
      return new RenderResult(
          TemplateError.fromException(e), interpreter.getContext(), interpreter.getErrorsCopy());
    } finally {
      context.reset();
      JinjavaInterpreter.popCurrent();
    }
  }

  private String renderFlat(String template, Map<String, Object> vars) {
    RenderResult result = renderForResult(template, vars);
    for (TemplateError error : result.getErrors()) {
      for (Throwable t = error.getException(); t != null; t = t.getCause()) {
        if (t instanceof TemplateException undefined) {
          throw undefined; // an Undefined used (Undefined#error)
        }
      }
      if (error.getException() instanceof UnknownTokenException unknown) {
        String variable = undefinedIn(unknown.getToken(), vars);
        throw new TemplateException("undefined variable '" + variable + "'", variable);
      }
      if (error.getSeverity() == TemplateError.ErrorType.FATAL
          || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
        throw new TemplateException("template error: " + error.getMessage(), null);
      }
    }
    return result.getOutput();
  }

  /**
   * Evaluates a condition written as Ansible's {@code when}: a bare expression such as {@code
   * result.rc == 0}, or a {@code {{ }}} template, whose result is true when it renders as {@code
   * true}, {@code yes}, {@code 1} or a non-zero number.
   *
   * @throws TemplateException on an undefined variable or a syntax error
   */
  public boolean evaluate(String condition, Map<String, Object> vars) {
    String expr = condition.trim();
    if (!expr.matches(
        "(?s).*\\b(is\\s+(not\\s+)?defined|is\\s+(not\\s+)?undefined|default\\s*\\().*")) {
      // Jinjava treats an unknown name inside a comparison as null: a typo would silently be false.
      String bare = expr.replaceAll("^\\{\\{|\\}\\}$", "");
      String missing = findUndefined(bare, resolveVars(bare, vars));
      if (missing != null) {
        throw new TemplateException("undefined variable '" + missing + "'", missing);
      }
    }
    String template = isTemplate(expr) ? expr : "{{ (" + expr + ") }}";
    String out = render(template, vars).trim().toLowerCase(java.util.Locale.ROOT);
    return switch (out) {
      case "true", "yes", "on" -> true;
      case "", "false", "no", "off", "none", "0" -> false;
      default -> {
        try {
          yield Double.parseDouble(out) != 0;
        } catch (NumberFormatException e) {
          yield true;
        }
      }
    };
  }

  /** Finds the first variable in an expression that is not defined in {@code vars}. */
  static String undefinedIn(String token, Map<String, Object> vars) {
    String missing = findUndefined(token, vars);
    return missing == null ? token.trim() : missing;
  }

  /** Returns the first undefined variable path of an expression, or null when all are defined. */
  @SuppressWarnings("unchecked")
  static String findUndefined(String token, Map<String, Object> vars) {
    // string literals and filter names are not variables; filter arguments are
    String expr =
        token
            .replaceAll("'[^']*'|\"[^\"]*\"", "''")
            .replaceAll("\\|\\s*[A-Za-z_][A-Za-z0-9_]*", " ");
    Matcher m = IDENT.matcher(expr);
    while (m.find()) {
      String path = m.group(1);
      if (KEYWORDS.contains(path)) {
        continue;
      }
      Object current = vars;
      StringBuilder seen = new StringBuilder();
      for (String part : path.split("\\.")) {
        if (seen.length() > 0) {
          seen.append('.');
        }
        seen.append(part);
        if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
          return seen.toString();
        }
        current = ((Map<String, Object>) map).get(part);
      }
    }
    return null;
  }
}
