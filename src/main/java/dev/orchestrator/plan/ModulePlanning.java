package dev.orchestrator.plan;

import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.ModuleCall;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.NativeValues;
import dev.orchestrator.template.RegisteredResult;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the plan knows of a step that calls a module ({@link ModuleCall}): its arguments are
 * rendered as the run will (an undefined variable is an error now); {@code set_fact} values are
 * known to later steps (exactly, or as known at run time); a {@code fail}, or an {@code assert}
 * whose conditions are known now and false, is a predicted {@link Prediction#PAUSE} (unless the
 * step has {@code ignore_errors}). Facts set by a {@code set_fact} step that is already done come
 * from its checkpoint ({@link #applyDone}), as registered values do.
 */
final class ModulePlanning {

  private final TemplateEngine templates;

  ModulePlanning(TemplateEngine templates) {
    this.templates = templates;
  }

  /**
   * Puts the facts a done {@code set_fact} or {@code setup} step recorded in its checkpoint into
   * {@code vars}.
   */
  static void applyDone(Step step, Map<String, Object> registered, Map<String, Object> vars) {
    if (step.extras()
            .module()
            .map(m -> m.setsFacts() || SystemModuleFields.FACT_SETTERS.contains(m.name()))
            .orElse(false)
        && !step.extras().delegateFacts() // the delegate's: OtherHosts
        && registered.get("ansible_facts") instanceof Map<?, ?> facts) {
      facts.forEach((k, v) -> vars.put(String.valueOf(k), v));
    }
  }

  /**
   * Whether an interrupted attempt of the step may simply run again: the controller's modules and
   * {@code wait_for} change nothing, so a controller killed during one resumes by running it again
   * (as an {@code idempotent} step), never in doubt; {@code service} and {@code systemd} bring a
   * unit to a state, which running them again does too (a {@code restarted} restarts once more);
   * {@code group}, {@code user} and {@code cron} too, and {@code haproxy} (a server to a state),
   * {@code nagios} (its external commands set a state: alerts off, a downtime), {@code npm}, {@code
   * seboolean} and the package modules (a package module asks the manager what is installed first,
   * so a second run installs only what the first did not: dpkg and rpm keep their own
   * transactions), {@code git} (a clone cut short leaves no {@code .git/config}, or a checkout that
   * the next attempt fetches and switches again).
   */
  static boolean rerunnable(Step step) {
    return step.extras()
        .module()
        .map(m -> m.onController() || RERUNNABLE.contains(m.name()))
        .orElse(false);
  }

  /**
   * Whether the step calls a module that may change the host ({@code service}, {@code systemd},
   * {@code group}, {@code haproxy}, {@code nagios}, {@code npm}, {@code seboolean}, the package
   * modules, {@code git}, {@code get_url}): whether it did, and so notifies its handlers, the run
   * finds out.
   */
  static boolean mayChange(Step step) {
    return step.extras().module().map(m -> CHANGING_HOST_MODULES.contains(m.name())).orElse(false);
  }

  /** The host modules that change it, converging to a state: safe to run again. */
  private static final Set<String> CHANGING_HOST_MODULES = changingHostModules();

  /** The host modules that converge to a state, safe to run again after an interruption. */
  private static final Set<String> RERUNNABLE = rerunnable();

  private static Set<String> changingHostModules() {
    Set<String> s =
        new java.util.HashSet<>(
            Set.of(
                "service",
                "systemd",
                "systemd_service",
                "group",
                "cron",
                "user",
                "package",
                "apt",
                "yum",
                "dnf",
                "git",
                "get_url",
                "unarchive",
                "lineinfile",
                "blockinfile",
                "replace",
                "file"));
    s.addAll(ModuleCall.COLLECTED);
    return Set.copyOf(s);
  }

  private static Set<String> rerunnable() {
    Set<String> s = new java.util.HashSet<>(CHANGING_HOST_MODULES);
    s.addAll(Set.of("wait_for", "ping", "stat"));
    s.remove("replace"); // not planned as a rerun, as on its branch
    s.remove("get_url"); // an interrupted download is not planned as a rerun (as before this merge)
    return Set.copyOf(s);
  }

  /** The shape of what {@code step} registers as {@code name}, every field known at run time. */
  static Map<String, Object> shape(Step step, String name) {
    Map<String, Class<?>> more = new LinkedHashMap<>();
    more.put("attempts", Integer.class);
    more.put("failed_when_result", Boolean.class);
    step.extras().module().ifPresent(m -> more.putAll(ModuleResultFields.of(m.name())));
    return RegisteredResult.unknown(name, more);
  }

  /**
   * Refines the prediction of a module step that will (or may) run, and puts its facts into {@code
   * vars}.
   *
   * @param scope the vars the step's templates see (with the shapes of pending results)
   * @param vars the host's vars, which receive {@code set_fact} values
   * @param pending the results registered at run time by earlier steps
   * @param later the names registered by later steps
   */
  PlannedStep predict(
      PlannedStep planned,
      Host host,
      Map<String, Object> scope,
      Map<String, Object> vars,
      Set<String> pending,
      Set<String> later) {
    PlannedStep p = planned;
    Step step = p.step();
    Optional<ModuleCall> module = step.extras().module();
    if (module.isEmpty() || !p.prediction().mayRun()) {
      return p;
    }
    ModuleCall call = module.get();
    if (p.command().isPresent()) {
      p = // the preview: the module and its arguments as written
          new PlannedStep(
              step,
              p.prediction(),
              p.reason(),
              Optional.of(call.name() + " " + shown(call.args())),
              p.previousAttempts(),
              p.changed(),
              p.overrides());
    }
    if (call.name().equals("include_vars")) {
      return IncludeVarsPlanning.predict(templates, p, host, call, scope, vars, pending, later);
    }
    boolean runtime = p.prediction() == Prediction.DECIDED_AT_RUN_TIME;
    Map<String, Object> rendered = new LinkedHashMap<>();
    for (Map.Entry<String, Object> arg : call.args().entrySet()) {
      if (arg.getKey().equals("that") && call.name().equals("assert")) {
        continue;
      }
      try {
        rendered.put(arg.getKey(), NativeValues.render(templates, arg.getValue(), scope));
      } catch (TemplateException e) {
        RunTimeValues.check(e, step, host, call.name() + "." + arg.getKey(), pending, later);
        rendered.put(arg.getKey(), RegisteredResult.unknownValue(arg.getKey()));
        runtime = true;
      }
    }
    if (SystemModuleFields.setup(call, vars)) {
      return p;
    }
    if (call.name().equals("set_fact")) {
      if (step.extras().delegateFacts()) {
        return p; // the delegate's facts (OtherHosts), not this host's
      }
      boolean known = p.prediction() == Prediction.RUN; // else it may not run: known at run time
      rendered.forEach((k, v) -> vars.put(k, known ? v : RegisteredResult.unknownValue(k)));
      return p;
    }
    Optional<String> fails = Optional.empty();
    if (call.name().equals("fail") && !runtime) {
      fails =
          Optional.of(
              String.valueOf(rendered.getOrDefault("msg", "Failed as requested from task")));
    } else if (call.name().equals("assert")) {
      fails = assertion(call, step, host, scope, pending, later);
    }
    if (fails.isEmpty()
        || step.extras().ignoreErrors()
        || p.prediction() != Prediction.RUN
        || step.extras().failedWhen().size() > 0
        || step.extras().until().isPresent()) {
      return p;
    }
    return new PlannedStep(
        step, Prediction.PAUSE, fails.get(), p.command(), p.previousAttempts(), p.changed());
  }

  /**
   * The arguments as the preview shows them: a password argument masked, what the loader added
   * ({@code script}'s {@code _source}, {@code _sha256}) left out.
   */
  private static Map<String, Object> shown(Map<String, Object> args) {
    Map<String, Object> shown = new LinkedHashMap<>(args);
    shown.keySet().removeIf(k -> k.startsWith("_"));
    shown.computeIfPresent("url_password", (k, v) -> "********");
    shown.computeIfPresent("password", (k, v) -> "********"); // user's hash
    return shown;
  }

  /** The message an assert fails with when a condition is known now to be false. */
  private Optional<String> assertion(
      ModuleCall call,
      Step step,
      Host host,
      Map<String, Object> scope,
      Set<String> pending,
      Set<String> later) {
    @SuppressWarnings("unchecked")
    List<String> that = (List<String>) call.args().get("that");
    for (String condition : that) {
      try {
        if (!templates.evaluate(condition, scope)) {
          return Optional.of("assert: " + condition + " is false");
        }
      } catch (TemplateException e) {
        RunTimeValues.check(e, step, host, "assert.that", pending, later);
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
