package dev.orchestrator.app;

import dev.orchestrator.state.StepStatus;
import java.util.Objects;

/**
 * The operator's decision about one step on one host, recorded before a run continues.
 *
 * @param kind what is decided
 * @param step the step id (a hop's {@code ID@VERSION}, or a rollback step's id)
 * @param host the inventory host
 */
public record StepDecision(Kind kind, String step, String host) {
  /** Validates the fields. */
  public StepDecision {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(host, "host");
  }

  /** The decisions, with the option that asks for each and what its checkpoint records. */
  public enum Kind {
    /** The step is skipped: the host continues after it. */
    SKIP("--skip-step", StepStatus.SKIPPED, "skipped by the operator (resume --skip-step)"),
    /** A step in doubt finished: recorded as succeeded. */
    ASSUME_DONE(
        "--assume-done",
        StepStatus.SUCCEEDED,
        "assumed done by the operator (resume --assume-done)"),
    /** A step in doubt did not finish (or should run again): it runs again. */
    RERUN("--rerun", StepStatus.PENDING, "to run again, as the operator asked (resume --rerun)");

    final String option;
    final StepStatus status;
    final String message;

    Kind(String option, StepStatus status, String message) {
      this.option = option;
      this.status = status;
      this.message = message;
    }
  }
}
