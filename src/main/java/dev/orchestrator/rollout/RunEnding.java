package dev.orchestrator.rollout;

import java.util.List;
import java.util.Objects;

/**
 * How a run ends once its rollout stopped (all stages done, or paused): computed by {@link
 * Rollout#ending}. The executor maps it onto the run's status and shows {@link #next()}'s command.
 */
public sealed interface RunEnding {
  /** Which command continues the run, if any. */
  enum Next {
    /** Nothing to continue. */
    NONE,
    /** {@code orchestrator resume} (or the rollback's command again). */
    RESUME,
    /** {@code orchestrator approve}: an approval gate waits. */
    APPROVE
  }

  /** Returns the text for the journal and the console; empty when the run succeeded. */
  String message();

  /** Returns the command kind that continues the run. */
  Next next();

  /** Every planned host is done. */
  record Succeeded() implements RunEnding {
    @Override
    public String message() {
      return "";
    }

    @Override
    public Next next() {
      return Next.NONE;
    }
  }

  /**
   * The rollout paused.
   *
   * @param reason why; an approval gate asks for {@code approve}, any other reason for {@code
   *     resume}
   */
  record Paused(PauseReason reason) implements RunEnding {
    /** Validates the fields. */
    public Paused {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String message() {
      return reason.message();
    }

    @Override
    public Next next() {
      return reason instanceof PauseReason.WaitingForApproval ? Next.APPROVE : Next.RESUME;
    }
  }

  /**
   * {@code abort --rollback} rolled back every host: the run is aborted.
   *
   * @param abortedBy who aborted
   * @param hosts how many hosts were rolled back
   */
  record RolledBack(String abortedBy, long hosts) implements RunEnding {
    /** Validates the fields. */
    public RolledBack {
      Objects.requireNonNull(abortedBy, "abortedBy");
      if (hosts < 0) {
        throw new IllegalArgumentException("hosts must not be negative");
      }
    }

    @Override
    public String message() {
      return abortedBy + "; rolled back " + hosts + " host(s)";
    }

    @Override
    public Next next() {
      return Next.NONE;
    }
  }

  /**
   * {@code abort --rollback} did not roll back every host: the run is aborted all the same, and the
   * same command continues the rollback.
   *
   * @param abortedBy who aborted
   * @param pausedHosts the hosts the rollback paused on, as {@code host: why}; when empty, {@code
   *     reason} says what stopped it
   * @param reason why the rollback paused
   * @param again the command that continues the rollback
   */
  record RollbackIncomplete(
      String abortedBy, List<String> pausedHosts, PauseReason reason, String again)
      implements RunEnding {
    /** Validates the fields. */
    public RollbackIncomplete {
      Objects.requireNonNull(abortedBy, "abortedBy");
      pausedHosts = List.copyOf(pausedHosts);
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(again, "again");
    }

    @Override
    public String message() {
      return abortedBy
          + "; rollback incomplete: "
          + (pausedHosts.isEmpty() ? reason.message() : String.join(", ", pausedHosts))
          + "; fix the cause, then: "
          + again;
    }

    @Override
    public Next next() {
      return Next.RESUME;
    }
  }
}
