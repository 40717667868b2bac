package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StepStatus;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code resume --retry-failed}: only the hosts that failed are worked on; the other hosts with
 * work are held back, and the run stays paused so that the operator checks the retried hosts before
 * the rollout continues (README, "Failure and recovery").
 */
final class RetryFailed {
  private RetryFailed() {}

  /**
   * Returns the hosts that failed in a run: a step failed or was interrupted (its checkpoint says
   * failed or running), or the host was unreachable.
   */
  static Set<String> failedHosts(RunState run) {
    Set<String> out = new HashSet<>();
    run.checkpoints()
        .forEach(
            (h, steps) -> {
              if (steps.values().stream()
                  .anyMatch(
                      c -> c.status() == StepStatus.FAILED || c.status() == StepStatus.RUNNING)) {
                out.add(h);
              }
            });
    run.hostRecords()
        .forEach(
            (h, r) -> {
              if (r.state() == dev.orchestrator.state.HostState.UNREACHABLE) {
                out.add(h);
              }
            });
    return out;
  }

  /** Returns {@code plan} holding back its hosts with work that did not fail in {@code run}. */
  static Plan holdBack(Plan plan, RunState run) {
    Set<String> failed = failedHosts(run);
    Set<String> heldBack =
        plan.hosts()
            .filter(PlannedHost::needsWork)
            .map(h -> h.host().name())
            .filter(h -> !failed.contains(h))
            .collect(Collectors.toSet());
    return new Plan(plan.playbook(), plan.runId(), plan.stages(), plan.hostOrder(), heldBack);
  }

  /** The error when {@code --retry-failed} is asked for without a run to plan against. */
  static InputException needsARun() {
    return new InputException(
        "--retry-failed retries the failed hosts of a run, and no run was given",
        "name the run: orchestrator plan ... --run RUN_ID --retry-failed, or orchestrator resume"
            + " RUN_ID --retry-failed");
  }
}
