package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.state.WorkQueue;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a run's batches are shared with its other controllers (the PostgreSQL store): the run's work
 * queue, how to plan a claimed host again against its current checkpoints, and the claims' TTL.
 *
 * @param queue the run's work queue, as this controller sees it
 * @param planner plans a host again (after a takeover, the checkpoints another controller wrote
 *     decide what is left)
 * @param rerun the step ids the operator asked to run again ({@code resume --rerun-step}), applied
 *     on a host's first claim
 * @param claimTtl how long a claim lives without a renewal (renewed every third of it)
 */
public record SharedExecution(
    WorkQueue queue, HostPlanner planner, Set<String> rerun, Duration claimTtl) {
  /** Validates the fields. */
  public SharedExecution {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(planner, "planner");
    rerun = Set.copyOf(rerun);
    if (claimTtl.isNegative() || claimTtl.toMillis() < 300) {
      throw new IllegalArgumentException("a claim's TTL is at least 300 ms, got " + claimTtl);
    }
  }

  /** Plans one host of the run against the run's current checkpoints. */
  @FunctionalInterface
  public interface HostPlanner {
    /**
     * Plans the host.
     *
     * @param host the inventory host
     * @param rerun the step ids to run again
     * @return the host as planned now, or empty when the plan has no such host
     */
    Optional<PlannedHost> plan(String host, Set<String> rerun);
  }
}
