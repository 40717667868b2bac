package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.HostRecord;
import dev.orchestrator.state.HostState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.StepStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes one host's checkpoints and host records into the run's journal: the one place the
 * write-ahead rule (README, "State store and checkpoints": RUNNING before the command is sent)
 * lives. Each transition of a step is one method; each returns once the record is durable ({@link
 * RunJournal#record(Checkpoint)} forces it to disk), so that a caller that sends the command after
 * {@link #running} and starts the next step after the result's method keeps the rule: RUNNING is
 * durable before the command is sent, the result before the next step starts. Every checkpoint is
 * stamped with its step's definition hash ({@link dev.orchestrator.playbook.Step#definitionHash()},
 * which resume compares to notice edits), and the journal it is given masks every text and
 * registered value ({@link dev.orchestrator.state.RedactingJournal}, wrapped by {@link
 * PipelineServices}): the state store never holds a secret. Thread-safe when the journal is.
 */
final class CheckpointWriter {
  private final RunJournal journal;
  private final String host;
  private final Map<String, String> hashes;
  private final java.util.concurrent.atomic.AtomicLong written =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Creates the writer of one host's records.
   *
   * @param journal the run's journal
   * @param host the inventory host
   * @param hashes the definition hash of every step id the host may record
   */
  CheckpointWriter(RunJournal journal, String host, Map<String, String> hashes) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.host = Objects.requireNonNull(host, "host");
    this.hashes = new java.util.concurrent.ConcurrentHashMap<>(hashes);
  }

  /**
   * Learns the definition hash of a step the plan did not list: an item of a loop expanded at run
   * time ({@link LoopSteps}).
   */
  void know(dev.orchestrator.playbook.Step step) {
    hashes.put(step.id(), step.definitionHash());
  }

  /** The writer for a planned host: its pipeline steps and rollback steps. */
  static CheckpointWriter of(RunJournal journal, PlannedHost planned) {
    Map<String, String> hashes = new HashMap<>();
    Stream.concat(planned.steps().stream(), planned.rollbackOnFailure().stream())
        .map(PlannedStep::step)
        .forEach(s -> hashes.put(s.id(), s.definitionHash()));
    return new CheckpointWriter(journal, planned.host().name(), hashes);
  }

  /** How many checkpoints this writer wrote: what was read of the run's state before is stale. */
  long written() {
    return written.get();
  }

  /**
   * How many checkpoints every writer of this controller (this JVM) wrote: what was read of a run's
   * state before another host's write is stale ({@link RunHostVars}).
   */
  static long writtenByAny() {
    return WRITTEN_BY_ANY.get();
  }

  private static final java.util.concurrent.atomic.AtomicLong WRITTEN_BY_ANY =
      new java.util.concurrent.atomic.AtomicLong();

  private void record(Checkpoint checkpoint) {
    journal.record(checkpoint);
    written.incrementAndGet();
    WRITTEN_BY_ANY.incrementAndGet();
  }

  /** Attempt {@code attempt} of a step starts: call before its command is sent. */
  void running(String stepId, int attempt, Instant startedAt) {
    write(stepId, StepStatus.RUNNING, attempt, startedAt, null, null, "", Map.of(), "");
  }

  /**
   * The attempt succeeded with {@code exitCode}; {@code registered} is empty without register.
   *
   * @param changed whether it changed the host: recorded, so that its handlers' notification
   *     survives a pause and a controller stop (README "Handlers")
   */
  void succeeded(
      String stepId,
      int attempt,
      Instant startedAt,
      Instant endedAt,
      int exitCode,
      Map<String, Object> registered,
      String logFile,
      boolean changed) {
    record(
        new Checkpoint(
            host,
            stepId,
            StepStatus.SUCCEEDED,
            attempt,
            startedAt,
            endedAt,
            exitCode,
            "",
            registered,
            logFile,
            hashes.getOrDefault(stepId, ""),
            changed));
  }

  /**
   * The attempt failed and the step has {@code ignore_errors}: recorded done (SUCCEEDED, so that
   * resume goes past it) with {@code message} saying it failed and was ignored, and the registered
   * result saying {@code failed: true}.
   *
   * @param exitCode the exit code, or null (timed out)
   */
  void ignored(
      String stepId,
      int attempt,
      Instant startedAt,
      Instant endedAt,
      Integer exitCode,
      String message,
      Map<String, Object> registered,
      String logFile) {
    journal.record(
        new Checkpoint(
            host,
            stepId,
            StepStatus.SUCCEEDED,
            attempt,
            startedAt,
            endedAt,
            exitCode,
            message,
            registered,
            logFile,
            hashes.getOrDefault(stepId, ""),
            false,
            true));
  }

  /**
   * The attempt failed and the step will run again: recorded FAILED with {@code message} and "(will
   * retry)".
   *
   * @param exitCode the exit code, or null (timed out)
   */
  void retrying(
      String stepId,
      int attempt,
      Instant startedAt,
      Instant endedAt,
      Integer exitCode,
      String message,
      String logFile) {
    failed(stepId, attempt, startedAt, endedAt, exitCode, message + " (will retry)", logFile);
  }

  /**
   * The step failed for good (its retries used up, a template error, interrupted).
   *
   * @param exitCode the exit code, or null when there is none
   */
  void failed(
      String stepId,
      int attempt,
      Instant startedAt,
      Instant endedAt,
      Integer exitCode,
      String message,
      String logFile) {
    write(
        stepId,
        StepStatus.FAILED,
        attempt,
        startedAt,
        endedAt,
        exitCode,
        message,
        Map.of(),
        logFile);
  }

  /**
   * The step was skipped ({@code when}, {@code creates}) without running.
   *
   * @param attempts the attempts it had so far (a skip is not an attempt)
   * @param registered what its {@code register} variable holds, empty without one
   */
  void skipped(
      String stepId,
      int attempts,
      Instant startedAt,
      Instant endedAt,
      String reason,
      Map<String, Object> registered) {
    write(stepId, StepStatus.SKIPPED, attempts, startedAt, endedAt, null, reason, registered, "");
  }

  /**
   * A {@code run_once} step's result, taken from the host that ran it for the batch ({@link
   * OnceSteps}): recorded with attempt 0 (it never ran here), {@code message} naming that host, and
   * not as a change of this host (its handlers are not notified).
   */
  void copied(
      String stepId,
      StepStatus status,
      Instant startedAt,
      Instant endedAt,
      Integer exitCode,
      String message,
      Map<String, Object> registered) {
    record(
        new Checkpoint(
            host,
            stepId,
            status,
            0,
            startedAt,
            endedAt,
            exitCode,
            message,
            registered,
            "",
            hashes.getOrDefault(stepId, "")));
  }

  /** The step is pending again (after a rollback), keeping its count of attempts. */
  void pending(String stepId, int attempts, String message) {
    write(stepId, StepStatus.PENDING, attempts, null, null, null, message, Map.of(), "");
  }

  /** The host could not be reached, or its connection was lost. */
  void unreachable(String message) {
    host(HostState.UNREACHABLE, message);
  }

  /** Every step of the host is done: supersedes an earlier record (unreachable, rolled back). */
  void done() {
    host(HostState.DONE, "every step done");
  }

  /** The host was rolled back after a failure; {@code message} says what to do next. */
  void rolledBack(String message) {
    host(HostState.ROLLED_BACK, message);
  }

  private void host(HostState state, String message) {
    journal.record(new HostRecord(host, state, message, Instant.now()));
  }

  private void write(
      String stepId,
      StepStatus status,
      int attempt,
      Instant startedAt,
      Instant endedAt,
      Integer exitCode,
      String message,
      Map<String, Object> registered,
      String logFile) {
    record(
        new Checkpoint(
            host,
            stepId,
            status,
            attempt,
            startedAt,
            endedAt,
            exitCode,
            message,
            registered,
            logFile,
            hashes.getOrDefault(stepId, "")));
  }
}
