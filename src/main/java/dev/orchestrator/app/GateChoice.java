package dev.orchestrator.app;

import java.util.Objects;
import java.util.Optional;

/** The operator's decision at the approval gates a run waits at. */
public sealed interface GateChoice {
  /**
   * Approve: the run may continue past the gates.
   *
   * @param stage only the gates of this stage, if given
   * @param comment what the approver adds, for the record; may be empty
   */
  record Approve(Optional<String> stage, String comment) implements GateChoice {
    /** Validates the fields. */
    public Approve {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(comment, "comment");
    }

    /** An approval without a comment. */
    public Approve(Optional<String> stage) {
      this(stage, "");
    }
  }

  /**
   * Reject: the run ends, aborted.
   *
   * @param reason why, for the record; may be empty
   */
  record Reject(String reason) implements GateChoice {
    /** Validates the field. */
    public Reject {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
