package dev.orchestrator.rollout;

import java.util.Objects;

/**
 * Why a rollout pauses, as a type: the run's control flow (which next command to show, whether the
 * run ends succeeded) follows the variant, never the text. {@link #message()} renders the text the
 * journal, the events and the console show.
 */
public sealed interface PauseReason {
  /** Returns the text shown to the operator and recorded in the journal. */
  String message();

  /**
   * A host of a stage with {@code any_errors_fatal} failed (Ansible's {@code any_errors_fatal}).
   *
   * @param stage the stage's name
   * @param batch the batch's 1-based number
   * @param failed hosts of the batch that failed, were unreachable or refused, at least 1
   */
  record AnyErrorsFatal(String stage, int batch, int failed) implements PauseReason {
    /** Validates the fields. */
    public AnyErrorsFatal {
      Objects.requireNonNull(stage, "stage");
      positive(batch, "batch");
      positive(failed, "failed");
    }

    @Override
    public String message() {
      return failed
          + " host(s) of stage "
          + stage
          + " batch "
          + batch
          + " failed and the stage has any_errors_fatal";
    }
  }

  /**
   * A batch's failures exceed its stage's {@code max_fail_percentage} ({@link FailureBudget}).
   *
   * @param stage the stage's name
   * @param batch the batch's 1-based number
   * @param failed hosts of the batch that failed, were unreachable or refused, at least 1
   * @param batchSize hosts in the batch, at least {@code failed}
   * @param maxFailPercentage the stage's limit, 0 to 100
   */
  record FailureBudgetExceeded(
      String stage, int batch, int failed, int batchSize, int maxFailPercentage)
      implements PauseReason {
    /** Validates the fields. */
    public FailureBudgetExceeded {
      Objects.requireNonNull(stage, "stage");
      positive(batch, "batch");
      positive(failed, "failed");
      if (batchSize < failed) {
        throw new IllegalArgumentException(failed + " failed of a batch of " + batchSize);
      }
      if (maxFailPercentage < 0 || maxFailPercentage > 100) {
        throw new IllegalArgumentException("max_fail_percentage " + maxFailPercentage);
      }
    }

    @Override
    public String message() {
      return failed
          + " of "
          + batchSize
          + " host(s) of stage "
          + stage
          + " batch "
          + batch
          + " failed, above max_fail_percentage "
          + maxFailPercentage
          + "%";
    }
  }

  /**
   * An approval gate waits for a person ({@code orchestrator approve}).
   *
   * @param gateKey the gate's key in the run's records, e.g. {@code production/before/0}
   * @param question the gate's rendered message, secrets masked
   */
  record WaitingForApproval(String gateKey, String question) implements PauseReason {
    /** Validates the fields. */
    public WaitingForApproval {
      Objects.requireNonNull(gateKey, "gateKey");
      Objects.requireNonNull(question, "question");
    }

    @Override
    public String message() {
      return "waiting for approval at gate " + gateKey + " (approval (" + question + "))";
    }
  }

  /**
   * A wait or health gate did not pass; it is checked again on resume.
   *
   * @param message what failed, naming the gate (secrets masked)
   */
  record GateFailed(String message) implements PauseReason {
    /** Validates the fields. */
    public GateFailed {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Hosts paused (failed step, unreachable, refused, or failed deferred steps), but within the
   * failure budget: the rollout went on, and the run pauses at its end.
   *
   * @param hosts how many hosts paused, at least 1
   */
  record PausedWithinBudget(int hosts) implements PauseReason {
    /** Validates the fields. */
    public PausedWithinBudget {
      positive(hosts, "hosts");
    }

    @Override
    public String message() {
      return hosts + " host(s) paused within the failure budget";
    }
  }

  /**
   * {@code resume --retry-failed} retried only the failed hosts: the others, held back, wait for a
   * plain resume.
   *
   * @param hosts how many held-back hosts the rollout reached, at least 1
   */
  record HeldBack(int hosts) implements PauseReason {
    /** Validates the fields. */
    public HeldBack {
      positive(hosts, "hosts");
    }

    @Override
    public String message() {
      return "only the failed hosts were retried; "
          + hosts
          + " host(s) still wait for the rollout to continue";
    }
  }

  private static void positive(int n, String what) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + n);
    }
  }
}
