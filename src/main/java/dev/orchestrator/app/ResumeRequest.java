package dev.orchestrator.app;

import dev.orchestrator.rollout.ApprovalPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Continuing a stored run.
 *
 * @param run the run and what is given again
 * @param retryFailed whether only the failed (paused) hosts continue, at their failed step
 * @param decision a decision about one step on one host, recorded first
 * @param rerunSteps steps to run again where they already succeeded (edited definitions)
 * @param takeOver whether stale leases of other machines' runs are taken over
 * @param approval who decides at approval gates
 * @param verbosity {@code -v}'s count: from 1 each step's output is shown ({@link
 *     RunRequest#verbosity})
 */
public record ResumeRequest(
    StoredRunRequest run,
    boolean retryFailed,
    Optional<StepDecision> decision,
    List<String> rerunSteps,
    boolean takeOver,
    ApprovalPolicy approval,
    int verbosity) {
  /** Validates and copies the fields. */
  public ResumeRequest {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(approval, "approval");
    rerunSteps = List.copyOf(rerunSteps);
    if (verbosity < 0) {
      throw new IllegalArgumentException("verbosity must not be negative, got " + verbosity);
    }
  }

  /** A resume without {@code -v}. */
  public ResumeRequest(
      StoredRunRequest run,
      boolean retryFailed,
      Optional<StepDecision> decision,
      List<String> rerunSteps,
      boolean takeOver,
      ApprovalPolicy approval) {
    this(run, retryFailed, decision, rerunSteps, takeOver, approval, 0);
  }

  /** Continues the run as it stands: no decision, no retry filter, manual approvals. */
  public static ResumeRequest plain(StoredRunRequest run) {
    return new ResumeRequest(
        run, false, Optional.empty(), List.of(), false, ApprovalPolicy.WAIT_FOR_PERSON);
  }
}
