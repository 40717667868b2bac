package dev.orchestrator.execute;

import dev.orchestrator.artifact.ArtifactKey;
import dev.orchestrator.artifact.FetchedArtifact;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * What the steps of one host share while its pipeline runs, and the step endings that need no
 * command (each writes its checkpoint, if any, then emits its event, and returns the result).
 *
 * @param host the inventory host
 * @param journal the run's journal (log files, run id)
 * @param checkpoints writes the host's checkpoints
 * @param events receives the events, secrets masked
 * @param templates renders the steps
 * @param secrets learns the secrets the templates derive
 * @param artifacts the artifacts fetched on the controller
 * @param artifactKey renders an artifact id into its key with a host's vars
 * @param sleeper waits between attempts
 * @param verbosity {@code -v}'s level: from 1, {@link #output} emits each step's output
 */
record StepContext(
    String host,
    RunJournal journal,
    CheckpointWriter checkpoints,
    EventSink events,
    TemplateEngine templates,
    DerivedSecrets secrets,
    Map<ArtifactKey, FetchedArtifact> artifacts,
    BiFunction<String, Map<String, Object>, ArtifactKey> artifactKey,
    Sleeper sleeper,
    int verbosity) {
  /** Validates the fields. */
  StepContext {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(checkpoints, "checkpoints");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(templates, "templates");
    Objects.requireNonNull(secrets, "secrets");
    artifacts = Map.copyOf(artifacts);
    Objects.requireNonNull(artifactKey, "artifactKey");
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /** The step is skipped: recorded with its attempts so far and its register variable set. */
  StepResult skipped(
      Step step, int attempt, Instant startedAt, String reason, Map<String, Object> vars) {
    Instant end = Instant.now();
    Map<String, Object> registered = dev.orchestrator.template.RegisteredResult.skipped();
    checkpoints.skipped(
        step.id(),
        attempt - 1,
        startedAt,
        end,
        reason,
        step.register().isPresent() ? registered : Map.of());
    step.register().ifPresent(r -> vars.put(r, registered));
    StepResult result = new StepResult.Skipped(reason);
    events.emit(
        new Event.StepFinished(
            end,
            host,
            step.id(),
            result.outcome(),
            null,
            Duration.between(startedAt, end),
            reason,
            "",
            false));
    return result;
  }

  /** The step failed for good; it took from {@code startedAt} until now. */
  StepResult failed(
      Step step, int attempt, Instant startedAt, Integer exitCode, String message, String logName) {
    return failed(
        step,
        attempt,
        startedAt,
        exitCode,
        message,
        logName,
        Duration.between(startedAt, Instant.now()));
  }

  /** The step failed for good after running for {@code took}. */
  StepResult failed(
      Step step,
      int attempt,
      Instant startedAt,
      Integer exitCode,
      String message,
      String logName,
      Duration took) {
    return failed(step, attempt, startedAt, exitCode, message, logName, took, Map.of());
  }

  /**
   * The step failed for good after running for {@code took}, with {@code result} its registered
   * result (empty when it has none). A step in a block's {@code block:} section with a {@code
   * rescue:} is recorded as rescued ({@link RescuedFailure}); any other pauses its host.
   */
  StepResult failed(
      Step step,
      int attempt,
      Instant startedAt,
      Integer exitCode,
      String message,
      String logName,
      Duration took,
      Map<String, Object> result) {
    Instant end = Instant.now();
    StepResult failure;
    String shown = message;
    if (step.extras().rescuer().isPresent()) {
      shown =
          dev.orchestrator.plan.BlockStates.RESCUED
              + step.extras().rescuer().get().label()
              + ": "
              + message;
      failure =
          RescuedFailure.record(
              checkpoints, step, attempt, startedAt, end, exitCode, message, logName, result);
    } else {
      checkpoints.failed(step.id(), attempt, startedAt, end, exitCode, message, logName);
      failure = new StepResult.Failed(message);
    }
    events.emit(
        new Event.StepFinished(
            end,
            host,
            step.id(),
            failure.outcome(),
            exitCode,
            took,
            shown,
            logName.isEmpty() ? "" : journal.logLocation(logName),
            false));
    return failure;
  }

  /** A template of the step cannot be rendered: the step fails without running. */
  StepResult templateError(Step step, int attempt, Instant startedAt, Exception e) {
    String message =
        "template error in step '" + step.id() + "' (" + step.location() + "): " + e.getMessage();
    return failed(step, attempt, startedAt, null, message, "");
  }

  /**
   * The connection broke while the step was under way. Its checkpoint stays RUNNING: whether the
   * command went on is unknown here, so resume decides as after a crash (re-attach to a detached
   * step, rerun an idempotent one, else in doubt).
   */
  StepResult lost(Step step, int attempt, Instant startedAt, TransportException e) {
    String message =
        "connection lost during step "
            + step.id()
            + " (attempt "
            + attempt
            + "): "
            + e.getMessage()
            + "; resume "
            + (step.traits().detached()
                ? "re-attaches to it"
                : step.traits().idempotent() || step.extras().fact()
                    ? "runs it again"
                    : "asks you whether it finished");
    StepResult result = new StepResult.Lost(message);
    events.emit(
        new Event.StepFinished(
            Instant.now(),
            host,
            step.id(),
            result.outcome(),
            null,
            Duration.between(startedAt, Instant.now()),
            message,
            "",
            false));
    return result;
  }

  /** The step's outcome is unknown and it may not simply run again: the host pauses at it. */
  StepResult inDoubt(Step step, int attempt) {
    String why =
        "step "
            + step.id()
            + " (attempt "
            + attempt
            + ") was running when the controller stopped and its outcome is unknown"
            + (step.traits().detached() ? " (no record of it on the host)" : "")
            + ": check the host, then continue with resume --assume-done "
            + step.id()
            + " --host "
            + host
            + " (it finished) or resume --rerun "
            + step.id()
            + " --host "
            + host
            + " (run it again); mark the step idempotent: true if running it twice is harmless";
    StepResult result = new StepResult.InDoubt(why);
    events.emit(
        new Event.StepFinished(
            Instant.now(), host, step.id(), result.outcome(), null, Duration.ZERO, why, "", false));
    return result;
  }

  /**
   * Emits what a step printed as a {@link Event.StepOutput} when the run is verbose ({@code -v}),
   * after the step's {@link Event.StepFinished}; nothing otherwise.
   */
  void output(Step step, String stdout, String stderr) {
    if (verbosity > 0 && !(stdout.isEmpty() && stderr.isEmpty())) {
      events.emit(new Event.StepOutput(Instant.now(), host, step.id(), stdout, stderr));
    }
  }
}
