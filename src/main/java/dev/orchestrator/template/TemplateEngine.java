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
import dev.orchestrator.common.Secrets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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
  /** How many levels of variables that refer to variables are rendered. */
  public static final int MAX_DEPTH = 10;

  private final Jinjava jinjava;

  /** The names of variables that are secret beyond the secret-looking ones ({@link Secrets}). */
  final Set<String> secretNames;

  /** Nanoseconds, for {@link RenderBounds#MAX_TIME}. */
  private final java.util.function.LongSupplier clock;

  /**
   * Creates an engine with strict undefined handling ({@link Undefined}: variables, map keys, every
   * filter and test), the {@code quote}, {@code raw} and {@code version_compare} filters, and the
   * function behind {@link #renderShell}. Its errors mask the values of secret-looking variables
   * ({@link Secrets#isSecretName}).
   */
  public TemplateEngine() {
    this(Set.of());
  }

  /**
   * Creates an engine as {@link #TemplateEngine()} whose errors also mask the values of these
   * variables and what derives from them (see {@link #masked}).
   *
   * @param secretNames the variables declared secret (the playbook's {@code secret_vars}, the keys
   *     of {@code --secrets-file})
   */
  public TemplateEngine(Set<String> secretNames) {
    this(secretNames, System::nanoTime);
  }

  /** Creates an engine whose render time ({@link RenderBounds#MAX_TIME}) runs on {@code clock}. */
  TemplateEngine(Set<String> secretNames, java.util.function.LongSupplier clock) {
    this(secretNames, clock, false);
  }

  TemplateEngine(Set<String> secretNames, java.util.function.LongSupplier clock, boolean trim) {
    this.secretNames = Set.copyOf(secretNames);
    this.clock = clock;
    jinjava =
        new Jinjava(
            RenderBounds.configure(
                    JinjavaConfig.newBuilder()
                        .withFailOnUnknownTokens(true)
                        .withElResolver(Undefined.strictResolver())
                        .withTrimBlocks(trim))
                .build());
    Undefined.strictVariables(jinjava);
    RenderBounds.install(jinjava);
    jinjava
        .getGlobalContext()
        .registerFunction(
            new com.hubspot.jinjava.lib.fn.ELFunctionDefinition(
                "", "orch_sh", ShellTemplate.class, "reference", Object.class, String.class));
    ProjectFilters.register(jinjava.getGlobalContext());
    AnsibleFilters.register(jinjava.getGlobalContext());
    AnsibleTests.register(jinjava.getGlobalContext());
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
    return masked(vars, v -> renderShellUnmasked(template, v));
  }

  private ShellTemplate renderShellUnmasked(String template, Map<String, Object> vars) {
    // undefined variables and syntax errors surface as in any template; a blank command is refused
    refuseBlank(renderUnmasked(template, vars));
    ShellTemplate.Prepared prepared = ShellTemplate.prepare(template);
    ShellTemplate.Capture capture = new ShellTemplate.Capture(prepared.sites());
    ShellTemplate.CAPTURED.set(capture);
    try {
      String text = renderUnmasked(prepared.template(), vars);
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
      masked(vars, v -> renderShellUnmasked(template, v));
    }
  }

  /**
   * Renders a command's template as {@link #render} does, and refuses a command that renders empty
   * or blank: it would run nothing while looking like a step.
   *
   * @throws TemplateException as {@link #render} does, and when the command renders blank
   */
  public String renderCommand(String template, Map<String, Object> vars) {
    return refuseBlank(render(template, vars));
  }

  private static String refuseBlank(String command) {
    if (command.isBlank()) {
      throw new TemplateException(
          "the command renders empty",
          null,
          "give the variables it uses a command, or put the step under a when: that skips it");
    }
    return command;
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
    return masked(vars, v -> renderUnmasked(template, v));
  }

  /**
   * Runs {@code work} on {@code vars}; the one place every error of this engine passes on its way
   * out, so that none shows a secret: each {@link TemplateException} (message, variable, hint)
   * leaves with the values of the secret variables ({@link Secrets#values(Map, Set)}) masked, and
   * with every word masked that changes when {@code work} runs again on {@link Secrets#perturbed}
   * vars (a secret transformed: {@code upper}, a substring, a sum). When the perturbed run does not
   * fail alike (the secret decided the error), the error says only that it depends on a secret.
   */
  private <T> T masked(Map<String, Object> vars, Function<Map<String, Object>, T> work) {
    try {
      return work.apply(vars);
    } catch (TemplateException e) {
      Set<String> secrets = Secrets.values(vars, secretNames);
      if (secrets.isEmpty() && !Secrets.anySecret(vars.keySet(), secretNames)) {
        throw e.shortened();
      }
      Optional<TemplateException> other;
      try {
        work.apply(Secrets.perturbed(vars, secretNames));
        other = Optional.empty();
      } catch (TemplateException p) {
        other = Optional.of(p);
      }
      throw e.masked(secrets, other).shortened();
    }
  }

  private String renderUnmasked(String template, Map<String, Object> vars) {
    if (!isTemplate(template)) {
      return template;
    }
    ProjectFilters.checkKnown(template, jinjava.getGlobalContext());
    return renderFlat(template, resolveVars(template, vars));
  }

  static final Pattern BLOCK = Pattern.compile("\\{\\{(.*?)}}|\\{%(.*?)%}", Pattern.DOTALL);

  /**
   * Returns {@code vars} with the string values that are themselves templates rendered (Ansible's
   * recursive templating, e.g. {@code occ: "php {{ nextcloud_root }}/occ"}), up to {@link
   * #MAX_DEPTH} levels; only those {@code template} may use ({@link TemplateNames#mayUse}). A var
   * that cannot be rendered only fails a template that uses it.
   */
  private Map<String, Object> resolveVars(String template, Map<String, Object> vars) {
    Map<String, Object> resolved = null;
    for (Map.Entry<String, Object> e : vars.entrySet()) {
      if (!(e.getValue() instanceof String value)
          || !isTemplate(value)
          || !TemplateNames.mayUse(template, e.getKey())) {
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
    try (RenderBounds.Scope bounds = RenderBounds.start(clock)) {
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
    RenderBounds.checkValues(TemplateNames.namesIn(template), vars);
    RenderResult result;
    try {
      result = renderForResult(AnsibleBackslashes.escape(template), vars);
    } catch (OutOfMemoryError e) { // one value grew past the heap: the render is abandoned
      throw new TemplateException(
          "the template needs more memory than there is", null, RenderBounds.HINT);
    }
    for (TemplateError error : result.getErrors()) {
      for (Throwable t = error.getException(); t != null; t = t.getCause()) {
        if (t instanceof TemplateException undefined) {
          throw undefined; // an Undefined used (Undefined#error)
        }
      }
      if (error.getException() instanceof UnknownTokenException unknown) {
        String variable = TemplateNames.undefinedIn(unknown.getToken(), vars);
        throw new TemplateException("undefined variable '" + variable + "'", variable);
      }
      if (RenderBounds.isOverLimit(error)) {
        throw new TemplateException(
            "the template is over a bound: " + error.getMessage(), null, RenderBounds.HINT);
      }
      if (error.getSeverity() == TemplateError.ErrorType.FATAL
          || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
        throw TemplateErrorText.error(error.getMessage());
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
    return masked(vars, v -> evaluateUnmasked(condition, v));
  }

  private boolean evaluateUnmasked(String condition, Map<String, Object> vars) {
    String expr = condition.trim();
    if (!expr.matches(
        "(?s).*\\b(is\\s+(not\\s+)?defined|is\\s+(not\\s+)?undefined|default\\s*\\().*")) {
      // Jinjava treats an unknown name inside a comparison as null: a typo would silently be false.
      String bare = expr.replaceAll("^\\{\\{|\\}\\}$", "");
      String missing = TemplateNames.findUndefined(bare, resolveVars(bare, vars));
      if (missing != null) {
        throw new TemplateException("undefined variable '" + missing + "'", missing);
      }
    }
    String template = isTemplate(expr) ? expr : "{{ (" + expr + ") }}";
    String out = renderUnmasked(template, vars).trim().toLowerCase(java.util.Locale.ROOT);
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
}
