package dev.orchestrator.plan;

import dev.orchestrator.playbook.Gate;
import dev.orchestrator.state.GateState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A gate at its place in the rollout, with its state according to the run's records.
 *
 * @param gate the gate
 * @param key its stable key in the run's records, e.g. {@code production/batch-1/0}
 * @param state its latest record's state, {@link GateState#PENDING} without one
 * @param message details of the last record, or empty
 * @param waitingSince when its soak started, if it is a wait gate its last record says is waiting
 */
public record PlannedGate(
    Gate gate, String key, GateState state, String message, Optional<Instant> waitingSince) {
  /** Validates the fields. */
  public PlannedGate {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(waitingSince, "waitingSince");
  }

  /** Returns whether the rollout may pass it without waiting. */
  public boolean open() {
    return state.open();
  }

  /** The key of gate {@code index} before stage {@code stage}. */
  public static String beforeStage(String stage, int index) {
    return stage + "/before/" + index;
  }

  /** The key of gate {@code index} after batch {@code batch} of stage {@code stage}. */
  public static String afterBatch(String stage, int batch, int index) {
    return stage + "/batch-" + batch + "/" + index;
  }
}
