package dev.orchestrator.state;

import java.time.Instant;
import java.util.Objects;

/**
 * The durable state of one gate of a run: waiting, passed, failed, approved or rejected. Approvals
 * are recorded here, so a pause for approval survives a controller restart.
 *
 * @param gate the gate's key, e.g. {@code production/before/0} or {@code production/batch-1/0}
 * @param state any state but {@link GateState#PENDING} (which is the absence of a record)
 * @param message details (who approved, which hosts failed which check)
 * @param at when
 */
public record GateRecord(String gate, GateState state, String message, Instant at) {
  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException if {@code state} is {@link GateState#PENDING}
   */
  public GateRecord {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(state, "state");
    if (state == GateState.PENDING) {
      throw new IllegalArgumentException("a gate record is never pending: " + gate);
    }
    message = message == null ? "" : message;
    Objects.requireNonNull(at, "at");
  }
}
