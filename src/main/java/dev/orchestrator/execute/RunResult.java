package dev.orchestrator.execute;

import dev.orchestrator.state.RunStatus;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of executing a plan.
 *
 * @param runId the run id
 * @param status {@link RunStatus#SUCCEEDED} or {@link RunStatus#PAUSED}; {@link RunStatus#ABORTED}
 *     for {@code abort --rollback} (see {@link dev.orchestrator.rollout.RunMode.Rollback})
 * @param reason why it paused, or empty
 * @param pausedHosts the hosts paused at a failed step or unreachable, as {@code host: step}
 * @param refused whether a host was refused because another run holds its lease
 * @param rolledBack for {@code abort --rollback}: whether every host was rolled back
 */
public record RunResult(
    String runId,
    RunStatus status,
    String reason,
    List<String> pausedHosts,
    boolean refused,
    boolean rolledBack) {
  /** Validates the fields: only an aborted run is rolled back. */
  public RunResult {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    pausedHosts = List.copyOf(pausedHosts);
    if (rolledBack && status != RunStatus.ABORTED) {
      throw new IllegalArgumentException("rolled back but " + status);
    }
  }

  /** The outcome of a run that is not a rollback. */
  public RunResult(
      String runId, RunStatus status, String reason, List<String> pausedHosts, boolean refused) {
    this(runId, status, reason, pausedHosts, refused, false);
  }
}
