package dev.orchestrator.state;

import java.time.Instant;
import java.util.Objects;

/**
 * A run's identity and status, as stored in {@code run.json}.
 *
 * @param id the run id, e.g. {@code 20261121-0512-nextcloud-update-3fa2}
 * @param playbookName the playbook's name
 * @param spec what it was started with
 * @param status its status
 * @param reason why it is paused or aborted, or empty
 * @param createdAt when it was created
 * @param updatedAt when its status last changed
 * @param controllerPid the pid of the controller process that last worked on it
 */
public record RunInfo(
    String id,
    String playbookName,
    RunSpec spec,
    RunStatus status,
    String reason,
    Instant createdAt,
    Instant updatedAt,
    long controllerPid) {
  /** Validates the fields. */
  public RunInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(playbookName, "playbookName");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    reason = reason == null ? "" : reason;
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Returns a copy with another spec (an operator's overrides), updated now. */
  public RunInfo withSpec(RunSpec newSpec) {
    return new RunInfo(
        id,
        playbookName,
        newSpec,
        status,
        reason,
        createdAt,
        Instant.now(),
        ProcessHandle.current().pid());
  }

  /** Returns a copy with another status and reason, updated now. */
  public RunInfo withStatus(RunStatus newStatus, String newReason) {
    return new RunInfo(
        id,
        playbookName,
        spec,
        newStatus,
        newReason,
        createdAt,
        Instant.now(),
        ProcessHandle.current().pid());
  }
}
