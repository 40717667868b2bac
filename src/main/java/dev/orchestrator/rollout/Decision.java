package dev.orchestrator.rollout;

import java.util.Objects;

/** What the rollout does after a batch or a gate: go on, or pause with a typed reason. */
public sealed interface Decision {
  /** The rollout goes on. */
  record Continue() implements Decision {}

  /**
   * The rollout pauses before the next batch or stage.
   *
   * @param reason why
   */
  record Pause(PauseReason reason) implements Decision {
    /** Validates the fields. */
    public Pause {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
