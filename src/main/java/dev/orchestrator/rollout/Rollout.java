package dev.orchestrator.rollout;

import dev.orchestrator.playbook.Stage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rollout's decisions, as pure functions (no I/O, no clock, no threads): whether the rollout
 * goes on after a batch or a gate, and how the run ends. The executor only carries them out.
 * Sources: Ansible's {@code any_errors_fatal} and {@code max_fail_percentage} ({@link
 * FailureBudget}); the README, "Failure and recovery" for {@code --retry-failed} and {@code abort
 * --rollback}.
 */
public final class Rollout {
  private Rollout() {}

  /**
   * Decides after a batch: with {@code any_errors_fatal} any failed host pauses the rollout;
   * otherwise it pauses when the failures exceed {@code max_fail_percentage} of the batch.
   *
   * @param stage the batch's stage (its {@code any_errors_fatal} and {@code max_fail_percentage})
   * @param outcome how the batch's hosts ended
   * @return {@link Decision.Continue}, or {@link Decision.Pause} with {@link
   *     PauseReason.AnyErrorsFatal} or {@link PauseReason.FailureBudgetExceeded}
   */
  public static Decision afterBatch(Stage stage, BatchOutcome outcome) {
    int failed = outcome.failed();
    if (stage.anyErrorsFatal() && failed > 0) {
      return new Decision.Pause(
          new PauseReason.AnyErrorsFatal(stage.name(), outcome.batch(), failed));
    }
    if (FailureBudget.exceeded(failed, outcome.batchSize(), stage.maxFailPercentage())) {
      return new Decision.Pause(
          new PauseReason.FailureBudgetExceeded(
              stage.name(),
              outcome.batch(),
              failed,
              outcome.batchSize(),
              stage.maxFailPercentage()));
    }
    return new Decision.Continue();
  }

  /**
   * Decides after a gate: a passed gate lets the rollout go on; one waiting for approval or failed
   * pauses it (a gate never aborts a run).
   *
   * @param result the gate's result
   * @return the decision
   */
  public static Decision afterGate(GateResult result) {
    Objects.requireNonNull(result, "result");
    if (result instanceof GateResult.WaitingForApproval w) {
      return new Decision.Pause(new PauseReason.WaitingForApproval(w.gateKey(), w.question()));
    }
    if (result instanceof GateResult.Failed f) {
      return new Decision.Pause(new PauseReason.GateFailed(f.message()));
    }
    return new Decision.Continue(); // GateResult.Passed
  }

  /**
   * Decides how a run ends once its rollout stopped. In order: a rollout pause, else hosts paused
   * within the failure budget, else hosts held back by {@code --retry-failed} pause the run;
   * otherwise it succeeded. A rollback ({@link RunMode.Rollback}) ends aborted either way: rolled
   * back, or incomplete with the hosts it paused on and {@code again}.
   *
   * @param mode forward, or the rollback of {@code abort --rollback}
   * @param pause why the rollout paused before its end, if it did
   * @param pausedHosts the hosts paused in this invocation (failed step, unreachable, refused,
   *     deferred steps), as {@code host: why}
   * @param heldBack hosts held back by {@code --retry-failed} in the batches the rollout reached
   * @param plannedHosts every host of the plan (a rollback names how many it rolled back)
   * @param again the command that continues a rollback
   * @return the ending
   */
  public static RunEnding ending(
      RunMode mode,
      Optional<PauseReason> pause,
      List<String> pausedHosts,
      int heldBack,
      long plannedHosts,
      String again) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(again, "again");
    if (heldBack < 0) {
      throw new IllegalArgumentException("heldBack must not be negative");
    }
    Optional<PauseReason> why =
        pause
            .or(
                () ->
                    pausedHosts.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new PauseReason.PausedWithinBudget(pausedHosts.size())))
            .or(
                () ->
                    heldBack > 0
                        ? Optional.of(new PauseReason.HeldBack(heldBack))
                        : Optional.empty());
    if (mode instanceof RunMode.Rollback r) {
      return why.<RunEnding>map(
              w -> new RunEnding.RollbackIncomplete(r.abortedBy(), pausedHosts, w, again))
          .orElseGet(() -> new RunEnding.RolledBack(r.abortedBy(), plannedHosts));
    }
    return why.<RunEnding>map(RunEnding.Paused::new).orElseGet(RunEnding.Succeeded::new);
  }
}
