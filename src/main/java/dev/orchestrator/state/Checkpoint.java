package dev.orchestrator.state;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The durable record of one step on one host, as of its latest change.
 *
 * @param host the inventory host name
 * @param stepId the step id
 * @param status the state
 * @param attempt 1 for the first attempt, increased on every retry or resume
 * @param startedAt when the current attempt started, or null if it never ran
 * @param endedAt when it ended, or null while running or pending
 * @param exitCode the command's exit code, or null when none (not run, timeout, connection lost)
 * @param message a one-line explanation (why it failed or was skipped), or empty
 * @param registered the values given to {@code register} ({@code rc}, {@code stdout}, {@code
 *     stderr}, ...), empty when the step has no {@code register}
 * @param logFile the full output's log file, relative to the run's folder, or empty
 * @param stepHash the step definition's hash when it ran ({@code Step.definitionHash()}), or empty
 * @param changed whether the step, having succeeded, changed the host (its {@code changed_when},
 *     true without one): what notifies its handlers (README "Handlers"). False in journals written
 *     before it was recorded, and for every status but succeeded; written only when true, so that
 *     every other line reads as the previous version wrote it
 * @param ignored whether the step failed and its {@code ignore_errors} let the host go on (status
 *     succeeded, so that resume and plan go past it; Ansible's {@code ...ignoring}); written only
 *     when true, as {@code changed}
 */
public record Checkpoint(
    String host,
    String stepId,
    StepStatus status,
    int attempt,
    Instant startedAt,
    Instant endedAt,
    Integer exitCode,
    String message,
    Map<String, Object> registered,
    String logFile,
    String stepHash,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
        boolean changed,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
        boolean ignored) {
  /** Validates the fields. */
  public Checkpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(stepId, "stepId");
    Objects.requireNonNull(status, "status");
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0");
    }
    message = message == null ? "" : message;
    registered =
        registered == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(registered));
    logFile = logFile == null ? "" : logFile;
    stepHash = stepHash == null ? "" : stepHash;
  }

  /** A checkpoint of a step that did not fail with its failure ignored. */
  public Checkpoint(
      String host,
      String stepId,
      StepStatus status,
      int attempt,
      Instant startedAt,
      Instant endedAt,
      Integer exitCode,
      String message,
      Map<String, Object> registered,
      String logFile,
      String stepHash,
      boolean changed) {
    this(
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
        stepHash,
        changed,
        false);
  }

  /** A checkpoint that does not say the host changed (any status but a changing success). */
  public Checkpoint(
      String host,
      String stepId,
      StepStatus status,
      int attempt,
      Instant startedAt,
      Instant endedAt,
      Integer exitCode,
      String message,
      Map<String, Object> registered,
      String logFile,
      String stepHash) {
    this(
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
        stepHash,
        false);
  }
}
