package dev.orchestrator.execute;

import dev.orchestrator.playbook.Step;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.ProgressUnit;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of a step on a host: records it RUNNING (durable before the command is sent), runs
 * its {@link StepAction} with a log, reports its warnings, and records how it ended. A re-attached
 * attempt (a detached command found on the host after a crash) is not recorded RUNNING again and
 * its result replays into the log. Final inputs, one method.
 */
final class StepAttempt {
  /** Registered stdout/stderr kept in the state store: 64 KiB each (the log file has it all). */
  static final int MAX_REGISTERED_CHARS = 64 * 1024;

  /**
   * A step's stdout line starting with this is a warning for the run's summary (e.g. an app that
   * stays disabled); the line protocol is documented in the README ("Steps that report").
   */
  static final String WARNING = "::warning ";

  private final StepContext context;
  private final Connection connection;
  private final Step step;
  private final StepAction action;
  private final Map<String, Object> vars;
  private final int attempt;
  private final int retriesLeft;
  private final Optional<ExecResult> reattached;
  private final boolean afterInterruption;

  /**
   * An attempt.
   *
   * @param vars the host's vars, which receive the step's {@code register} variable
   * @param attempt the attempt number
   * @param retriesLeft how many more attempts may follow a failure of this one
   * @param reattached the result of the detached command found on the host, or empty to run it
   * @param afterInterruption the step runs again because an earlier attempt was running when the
   *     controller stopped (it may have changed the host before the stop)
   */
  StepAttempt(
      StepContext context,
      Connection connection,
      Step step,
      StepAction action,
      Map<String, Object> vars,
      int attempt,
      int retriesLeft,
      Optional<ExecResult> reattached,
      boolean afterInterruption) {
    this.context = context;
    this.connection = connection;
    this.step = step;
    this.action = action;
    this.vars = vars;
    this.attempt = attempt;
    this.retriesLeft = retriesLeft;
    this.reattached = reattached;
    this.afterInterruption = afterInterruption;
  }

  /**
   * Runs the attempt.
   *
   * @return {@link StepResult.Succeeded}, {@link StepResult.Retrying}, {@link StepResult.Failed} or
   *     {@link StepResult.Lost}
   */
  StepResult run() {
    String host = context.host();
    Instant startedAt = Instant.now();
    if (reattached.isEmpty()) {
      context.checkpoints().running(step.id(), attempt, startedAt);
    }
    context.events().emit(new Event.StepStarted(startedAt, host, step.id(), step.name(), attempt));
    String logName = context.journal().logName(host, step.id(), attempt);
    ExecResult result;
    Map<String, Object> fields = Map.of();
    Map<String, Object> moduleResults = new LinkedHashMap<>();
    try (StepLog stepLog =
        StepLog.open(
            () -> context.journal().openLog(logName),
            action.description(),
            context.secrets().values(),
            p ->
                context
                    .events()
                    .emit(
                        new Event.StepProgress(
                            Instant.now(),
                            host,
                            step.id(),
                            p.done(),
                            p.total(),
                            ProgressUnit.ITEMS,
                            p.message())))) {
      StepAction.Attempt on =
          new StepAction.Attempt(
              context.journal().runId(),
              host,
              step.id(),
              attempt,
              stepLog,
              context.events(),
              moduleResults);
      if (reattached.isPresent()) {
        result = reattached.get();
        stepLog.replay(result);
      } else if (action instanceof StepAction.Module module) {
        ModuleOutcome outcome = module.call(connection, on);
        result = outcome.result();
        fields = outcome.fields();
      } else {
        result = action.run(connection, on);
      }
      stepLog.finish(result);
    } catch (TransportException e) {
      return context.lost(step, attempt, startedAt, e);
    }
    result
        .stdout()
        .lines()
        .filter(l -> l.startsWith(WARNING))
        .forEach(
            l ->
                context
                    .events()
                    .emit(
                        new Event.StepWarning(
                            Instant.now(),
                            host,
                            step.id(),
                            l.substring(WARNING.length()).strip())));
    Map<String, Object> full = registered(result, attempt);
    if (step.extras().module().isPresent()) {
      full.put(
          "changed", false); // as Ansible's debug, set_fact, fail, assert, pause, wait_for, uri
      full.putAll(fields);
    }
    full.putAll(moduleResults); // a file module's own keys (template, copy: checksum, dest...)
    ResultKeywords.Verdict verdict =
        ResultKeywords.judge(
            context,
            step,
            full,
            vars,
            !result.succeeded(),
            fields.containsKey("msg")
                ? String.valueOf(fields.get("msg"))
                : failureMessage(step, result),
            retriesLeft);
    @SuppressWarnings("unchecked")
    Map<String, Object> facts = (Map<String, Object>) fields.get("ansible_facts");
    // a set_fact's result is kept in its checkpoint even without register: the planner re-applies
    // it
    Map<String, Object> registered = step.register().isPresent() || facts != null ? full : Map.of();
    Integer exitCode = result.timedOut() ? null : result.exitCode();
    if (!verdict.failed()) {
      Instant end = Instant.now();
      step.register().ifPresent(r -> vars.put(r, registered));
      if (facts != null) {
        DelegatedFacts.apply(step, facts, vars, registered);
      }
      boolean changed = changed(moduleResults, fields);
      if (!registered.isEmpty()) {
        registered.put("changed", changed);
      }
      context
          .checkpoints()
          .succeeded(
              step.id(), attempt, startedAt, end, result.exitCode(), registered, logName, changed);
      StepResult succeeded =
          new StepResult.Succeeded(attempt, result.exitCode(), registered, logName, changed);
      context
          .events()
          .emit(
              new Event.StepFinished(
                  end,
                  host,
                  step.id(),
                  succeeded.outcome(),
                  result.exitCode(),
                  result.duration(),
                  "",
                  logName,
                  changed));
      context.output(step, cap(result.stdout()), cap(result.stderr()));
      return succeeded;
    }
    String message = verdict.message();
    if (verdict.again()) {
      context
          .checkpoints()
          .retrying(step.id(), attempt, startedAt, Instant.now(), exitCode, message, logName);
      int retry = step.retries() - retriesLeft + 1;
      StepResult retrying = new StepResult.Retrying(attempt, startedAt, logName, step.delay());
      context
          .events()
          .emit(
              new Event.StepFinished(
                  Instant.now(),
                  host,
                  step.id(),
                  retrying.outcome(),
                  exitCode,
                  result.duration(),
                  "retry "
                      + retry
                      + " of "
                      + step.retries()
                      + " in "
                      + step.delay().toSeconds()
                      + "s",
                  logName,
                  false));
      context.output(step, cap(result.stdout()), cap(result.stderr()));
      return retrying;
    }
    step.register().ifPresent(r -> vars.put(r, registered));
    StepResult failed =
        step.extras().ignoreErrors()
            ? IgnoredFailure.record(
                context, step, attempt, startedAt, exitCode, message, registered, logName, result)
            : context.failed(
                step, attempt, startedAt, exitCode, message, logName, result.duration(), full);
    context.output(step, cap(result.stdout()), cap(result.stderr()));
    return failed;
  }

  /**
   * Whether a step that succeeded changed the host: its {@code changed_when} (evaluated with its
   * {@code register} variable set); without one, what its module found ({@code template}, {@code
   * copy}, {@code service}, {@code systemd}: their {@code changed}; the controller's modules,
   * {@code wait_for} and {@code uri}: false), else true, as Ansible assumes of {@code shell}. A
   * condition that cannot be evaluated counts as changed and is reported as a warning. A step run
   * again after the controller stopped during an earlier attempt counts as changed (unless a
   * module, a fact step or {@code changed_when: false}): that attempt may have made the change this
   * one finds done.
   */
  private boolean changed(Map<String, Object> moduleResults, Map<String, Object> fields) {
    Optional<String> when = step.traits().changedWhen();
    if (step.extras().module().isPresent()) {
      if (when.isPresent()) {
        return evaluated(when.get());
      }
      // a host module that can change the host (service, systemd) says whether it did; after an
      // interrupted attempt it counts as changed, as a command does (that attempt may have made
      // the change this one finds done)
      boolean changes = Boolean.TRUE.equals(fields.get("changed"));
      return fields.containsKey("changed") && (changes || afterInterruption);
    }
    if (afterInterruption
        && !step.extras().fact()
        && !when.map(w -> w.strip().equalsIgnoreCase("false")).orElse(false)) {
      // The attempt the controller's stop interrupted may have changed the host before it ended
      // (a copy written, a checkout made) and this one then finds nothing to do: counting it as
      // unchanged would skip what `when: x.changed` and handlers do after a change. As `resume
      // --assume-done` of a notifying step, it counts as a change.
      return true;
    }
    if (when.isEmpty()) {
      // a file module says whether it changed the host (template, copy); a command is assumed to
      return !Boolean.FALSE.equals(moduleResults.get("changed"));
    }
    return evaluated(when.get());
  }

  /** Evaluates {@code changed_when}; one that cannot be evaluated counts as changed (a warning). */
  private boolean evaluated(String when) {
    try {
      return context.templates().evaluate(when, vars);
    } catch (TemplateException e) {
      context
          .events()
          .emit(
              new Event.StepWarning(
                  Instant.now(),
                  context.host(),
                  step.id(),
                  "changed_when: " + e.getMessage() + "; counted as changed"));
      return true;
    }
  }

  /**
   * The message a failed step pauses its host with: the timeout, or the exit code and the last line
   * of stderr (else stdout), at most 400 characters. {@code plan --check} predicts with it too.
   */
  static String failureMessage(Step step, ExecResult result) {
    if (result.timedOut()) {
      return "timed out after " + step.timeout().map(Duration::toSeconds).orElse(0L) + "s";
    }
    String tail = lastLine(result.stderr());
    if (tail.isEmpty()) {
      tail = lastLine(result.stdout());
    }
    return "exit code " + result.exitCode() + (tail.isEmpty() ? "" : ": " + tail);
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    return dev.orchestrator.common.Echo.escaped(
        last.length() > 400 ? last.substring(0, 400) + "…" : last);
  }

  /**
   * The value a step's {@code register} variable gets from a result (Ansible's names: {@code rc},
   * {@code stdout}, {@code stderr}, {@code stdout_lines}...), the streams capped at {@link
   * #MAX_REGISTERED_CHARS}.
   */
  static Map<String, Object> registered(ExecResult result, int attempts) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rc", result.exitCode());
    r.put("stdout", cap(result.stdout()));
    r.put("stderr", cap(result.stderr()));
    r.put("stdout_lines", result.stdout().lines().limit(1000).toList());
    r.put("stderr_lines", result.stderr().lines().limit(1000).toList());
    r.put("changed", true); // as Ansible's shell; changed_when decides it after a success
    r.put("failed", !result.succeeded());
    r.put("skipped", false);
    r.put("timed_out", result.timedOut());
    r.put("duration_ms", result.duration().toMillis());
    r.put("attempts", attempts);
    return r;
  }

  private static String cap(String s) {
    String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    return t.length() > MAX_REGISTERED_CHARS ? t.substring(0, MAX_REGISTERED_CHARS) : t;
  }
}
