package dev.orchestrator.rollout;

import java.util.Objects;

/** How evaluating one gate ended; {@link Rollout#afterGate} turns it into a decision. */
public sealed interface GateResult {
  /** The gate is open (passed, approved, or auto-approved): the rollout goes on. */
  record Passed() implements GateResult {}

  /**
   * An approval gate waits for {@code orchestrator approve}.
   *
   * @param gateKey the gate's key in the run's records
   * @param question the gate's rendered message, secrets masked
   */
  record WaitingForApproval(String gateKey, String question) implements GateResult {
    /** Validates the fields. */
    public WaitingForApproval {
      Objects.requireNonNull(gateKey, "gateKey");
      Objects.requireNonNull(question, "question");
    }
  }

  /**
   * A wait or health gate failed (or its wait was interrupted).
   *
   * @param message what failed, naming the gate, secrets masked
   */
  record Failed(String message) implements GateResult {
    /** Validates the fields. */
    public Failed {
      Objects.requireNonNull(message, "message");
    }
  }
}
