package dev.orchestrator.execute;

import dev.orchestrator.artifact.ArtifactKey;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.playbook.StepTraits;
import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.template.ShellTemplate;
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
 * Runs one planned step on a host with its retries: decides whether it runs at all ({@code when},
 * {@code creates}, in doubt after a crash), renders its {@link StepAction}, re-attaches to a
 * detached attempt still on the host, then runs {@link StepAttempt}s while they end {@link
 * StepResult.Retrying}, waiting the step's delay between them.
 */
final class StepRunner {
  private final StepContext context;
  private final Connection connection;
  private final Optional<Delegation> delegation;
  private final Optional<OnceSteps> once;

  StepRunner(StepContext context, Connection connection) {
    this(context, connection, Optional.empty(), Optional.empty());
  }

  /**
   * A runner whose delegated steps go through {@code delegation}, and whose {@code run_once} steps
   * through {@code once} (without it, every host runs them).
   */
  StepRunner(
      StepContext context,
      Connection connection,
      Optional<Delegation> delegation,
      Optional<OnceSteps> once) {
    this.context = context;
    this.connection = connection;
    this.delegation = delegation;
    this.once = once;
  }

  /**
   * Runs the step.
   *
   * @param ps the planned step
   * @param vars the host's vars; receives the step's {@code register} variable
   * @return how it ended; never {@link StepResult.Retrying}
   */
  StepResult run(PlannedStep ps, Map<String, Object> vars) {
    if (ps.step().extras().runOnce() && once.isPresent()) {
      Optional<StepResult> theirs = once.get().fromOwner(ps, vars, context);
      if (theirs.isPresent()) { // another host of the batch ran it
        return theirs.get();
      }
      once.get().running(context.host(), ps.step()); // the others wait for its result in memory
      StepResult mine = null;
      try {
        mine = runAnywhere(ps, vars);
        return mine;
      } finally {
        once.get().ran(context.host(), ps.step(), mine);
      }
    }
    return runAnywhere(ps, vars);
  }

  /** Runs the step here, or on its delegate. */
  private StepResult runAnywhere(PlannedStep ps, Map<String, Object> vars) {
    if (ps.delegate().isPresent()) {
      // on the delegate's connection (or here, when its when is false: skipped without contact)
      return delegation
          .orElseThrow(() -> new IllegalStateException("no delegation for " + ps.step().id()))
          .run(
              ps,
              vars,
              context,
              (c, p) -> new StepRunner(context, c == null ? connection : c).runHere(p, vars));
    }
    return runHere(ps, vars);
  }

  /** Runs the step over this runner's connection. */
  private StepResult runHere(PlannedStep ps, Map<String, Object> vars) {
    Step step = ps.step();
    int attempt = ps.previousAttempts() + 1;
    Instant startedAt = Instant.now();
    ShellTemplate shell;
    Map<String, String> env = new LinkedHashMap<>();
    try {
      if (step.when().isPresent() && !context.templates().evaluate(step.when().get(), vars)) {
        return context.skipped(
            step, attempt, startedAt, "when: " + step.when().get() + " is false", vars);
      }
      shell = context.templates().renderShell(step.shell(), vars);
      for (Map.Entry<String, String> e : step.environment().entrySet()) {
        env.put(e.getKey(), context.templates().render(e.getValue(), vars));
      }
      context.secrets().learn(step, vars, shell, env);
      if (step.extras().module().isPresent()) { // debug's msg, set_fact's values...
        context.secrets().learn(step.extras().module().get(), vars);
      }
      if (step.creates().isPresent()) {
        String path = context.templates().render(step.creates().get(), vars);
        ExecResult probe =
            connection.exec(
                "test -e " + ShellQuote.quote(path), Optional.of(Duration.ofSeconds(60)));
        if (probe.succeeded()) {
          return context.skipped(step, attempt, startedAt, "creates: " + path + " exists", vars);
        }
      }
    } catch (TemplateException e) {
      return context.templateError(step, attempt, startedAt, e);
    } catch (TransportException e) {
      return context.lost(step, attempt, startedAt, e);
    }
    StepAction action;
    try {
      Optional<StepTraits.Upload> upload = step.traits().upload();
      Optional<Map.Entry<ArtifactKey, String>> target = Optional.empty();
      if (upload.isPresent()) {
        String dest = context.templates().render(upload.get().dest(), vars);
        target =
            Optional.of(
                Map.entry(context.artifactKey().apply(upload.get().artifact(), vars), dest));
      }
      Become become = step.become() ? Become.of(step, vars, context.templates()) : Become.NOT_USED;
      if (step.become()) {
        become.password().ifPresent(context.secrets()::add);
      }
      if (step.extras().module().isPresent()) {
        action = Modules.action(context, step, step.extras().module().get(), vars, env);
      } else if (step.extras().file().isPresent()) { // template:, copy:
        action = FileActions.action(step, vars, context.templates(), context.secrets());
      } else {
        action = StepAction.of(step, shell, env, target, context.artifacts(), become);
      }
    } catch (TemplateException | IllegalArgumentException e) { // a module's argument too
      return context.templateError(step, attempt, startedAt, e);
    } catch (Become.Refused e) {
      return context.failed(
          step, attempt, startedAt, null, "step '" + step.id() + "': " + e.getMessage(), "");
    }
    if (ps.prediction() == Prediction.IN_DOUBT) {
      return context.inDoubt(step, ps.previousAttempts());
    }
    Optional<ExecResult> attached = Optional.empty();
    boolean afterInterruption = ps.prediction() == Prediction.RERUN && ps.previousAttempts() > 0;
    if (ps.prediction() == Prediction.RERUN
        && action instanceof StepAction.DetachedShell
        && ps.previousAttempts() > 0) {
      try {
        ExecResult found =
            connection.exec(
                CommandBuilder.reattach(
                    context.journal().runId(), context.host(), step.id(), ps.previousAttempts()),
                step.timeout());
        if (found.stdout().contains(CommandBuilder.NOT_STARTED)) {
          // the command never started on the host: run it, as a new attempt
          afterInterruption = false;
        } else if (!found.stdout().contains(CommandBuilder.NO_RECORD)) {
          attached = Optional.of(found);
          attempt = ps.previousAttempts();
        } else if (!step.traits().idempotent() && !step.extras().fact()) {
          return context.inDoubt(step, ps.previousAttempts());
        }
      } catch (TransportException e) {
        return context.lost(step, attempt, startedAt, e);
      }
    }
    StepResult result =
        new StepAttempt(
                context,
                connection,
                step,
                action,
                vars,
                attempt,
                step.retries(),
                attached,
                afterInterruption && attached.isEmpty())
            .run();
    for (int tries = 1; result instanceof StepResult.Retrying retrying; tries++) {
      try {
        context.sleeper().sleep(retrying.delay());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return context.failed(
            step,
            retrying.attempt(),
            retrying.startedAt(),
            null,
            "interrupted before retrying",
            retrying.logFile());
      }
      result =
          new StepAttempt(
                  context,
                  connection,
                  step,
                  action,
                  vars,
                  retrying.attempt() + 1,
                  step.retries() - tries,
                  Optional.empty(),
                  afterInterruption && attached.isEmpty())
              .run();
    }
    return result;
  }
}
