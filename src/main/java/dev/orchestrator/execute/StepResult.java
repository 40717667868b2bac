package dev.orchestrator.execute;

import dev.orchestrator.report.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one step (or one attempt of it) ended. The attempt has already written its checkpoint and
 * emitted its event; the result says what the host's pipeline does next: go on ({@link Succeeded},
 * {@link Skipped}), run the step again ({@link Retrying}, consumed by {@link StepRunner}), or stop
 * the host ({@link Failed}, {@link InDoubt}: paused; {@link Lost}: unreachable).
 */
sealed interface StepResult {
  /**
   * How the {@code step_finished} event says this result: the one mapping from the engine's result
   * to the event's vocabulary (each result names its own, so a new result cannot miss it). The
   * persisted {@link dev.orchestrator.state.StepStatus} is a third, coarser view (a checkpoint:
   * pending, running, succeeded, failed, skipped), written by the checkpoint writer.
   */
  StepOutcome outcome();

  /** Whether the host's next step may run. */
  default boolean goesOn() {
    return this instanceof Succeeded || this instanceof Skipped || this instanceof Ignored;
  }

  /**
   * The step ran and succeeded.
   *
   * @param attempt the attempt that succeeded
   * @param exitCode its exit code (0)
   * @param registered what its {@code register} variable got, empty without one
   * @param logFile its log, relative to the run's folder
   * @param changed whether it changed the host ({@code changed_when}): what notifies handlers
   */
  record Succeeded(
      int attempt, int exitCode, Map<String, Object> registered, String logFile, boolean changed)
      implements StepResult {
    /** Copies the registered values. */
    public Succeeded {
      registered = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(registered));
      Objects.requireNonNull(logFile, "logFile");
    }

    @Override
    public StepOutcome outcome() {
      return StepOutcome.SUCCEEDED;
    }
  }

  /**
   * The step failed and its {@code ignore_errors} lets the host go on, as Ansible's {@code
   * ...ignoring} ({@link IgnoredFailure}): its checkpoint is done, it changed nothing.
   *
   * @param attempt the attempt that failed
   * @param exitCode its exit code, -1 when it had none (a module's failure)
   * @param registered what its {@code register} variable got ({@code failed: true})
   * @param logFile its log, relative to the run's folder
   */
  record Ignored(int attempt, int exitCode, Map<String, Object> registered, String logFile)
      implements StepResult {
    /** Copies the registered values. */
    public Ignored {
      registered = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(registered));
      Objects.requireNonNull(logFile, "logFile");
    }

    @Override
    public StepOutcome outcome() {
      return StepOutcome.IGNORED;
    }
  }

  /**
   * The step did not run: its {@code when} is false or its {@code creates} path exists.
   *
   * @param reason e.g. {@code when: x is false}
   */
  record Skipped(String reason) implements StepResult {
    /** Validates the reason. */
    public Skipped {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public StepOutcome outcome() {
      return StepOutcome.SKIPPED;
    }
  }

  /**
   * The attempt failed and the step has retries left.
   *
   * @param attempt the attempt that failed (the next one is {@code attempt + 1})
   * @param startedAt when it started
   * @param logFile its log, relative to the run's folder
   * @param delay how long to wait before the next attempt (the step's {@code delay})
   */
  record Retrying(int attempt, Instant startedAt, String logFile, Duration delay)
      implements StepResult {
    /** Validates the fields. */
    public Retrying {
      Objects.requireNonNull(startedAt, "startedAt");
      Objects.requireNonNull(logFile, "logFile");
      Objects.requireNonNull(delay, "delay");
    }

    @Override
    public StepOutcome outcome() {
      return StepOutcome.RETRYING;
    }
  }

  /**
   * The step failed for good: the host pauses at it, unless a block's {@code rescue:} takes the
   * failure over ({@code rescue} present: recorded as rescued by {@link RescuedFailure}; the
   * pipeline's {@link BlockRuns} sends the host to the rescue; README "Blocks").
   *
   * @param message why, as recorded and shown
   * @param rescue the failure a rescue takes over, or empty
   */
  record Failed(String message, Optional<Rescue> rescue) implements StepResult {
    /** Validates the message. */
    public Failed {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(rescue, "rescue");
    }

    /** A failure that pauses the host. */
    public Failed(String message) {
      this(message, Optional.empty());
    }

    @Override
    public StepOutcome outcome() {
      return StepOutcome.FAILED;
    }
  }

  /**
   * A failure that a block's {@code rescue:} takes over.
   *
   * @param stepId the engine id of the step (or loop item) that failed
   * @param result what {@code ansible_failed_result} holds in the rescue
   */
  record Rescue(String stepId, Map<String, Object> result) {
    /** Validates the fields and copies the result. */
    public Rescue {
      Objects.requireNonNull(stepId, "stepId");
      result = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(result));
    }
  }

  /**
   * The connection broke while the step was under way: its checkpoint stays RUNNING and resume
   * decides as after a crash.
   *
   * @param message what happened and what resume will do
   */
  record Lost(String message) implements StepResult {
    /** Validates the message. */
    public Lost {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public StepOutcome outcome() {
      return StepOutcome.LOST;
    }
  }

  /**
   * The step's outcome is unknown (it was running when the controller stopped) and it may not
   * simply run again: the host pauses until an operator says whether it finished.
   *
   * @param message what happened and the commands that continue
   */
  record InDoubt(String message) implements StepResult {
    /** Validates the message. */
    public InDoubt {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public StepOutcome outcome() {
      return StepOutcome.IN_DOUBT;
    }
  }
}
