package dev.orchestrator.execute;

import dev.orchestrator.state.RunStatus;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of executing a plan.
 *
 * @param runId the run id
 * @param status {@link RunStatus#SUCCEEDED} or {@link RunStatus#PAUSED}
 * @param reason why it paused, or empty
 * @param pausedHosts the hosts paused at a failed step or unreachable, as {@code host: step}
 * @param refused whether a host was refused because another run holds its lease
 */
public record RunResult(
    String runId, RunStatus status, String reason, List<String> pausedHosts, boolean refused) {
  /** Validates the fields. */
  public RunResult {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    pausedHosts = List.copyOf(pausedHosts);
  }
}
