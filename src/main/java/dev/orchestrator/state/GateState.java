package dev.orchestrator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.orchestrator.common.Labelled;

/**
 * The state of a gate of a run. A gate with no {@link GateRecord} yet is {@link #PENDING}; the
 * others are recorded in the journal (its {@link #label()}) and reported in {@code gate_evaluated}
 * events. Transitions: pending → waiting (an approval, or a wait under way) → passed / approved /
 * failed / rejected; a failed gate is evaluated again on resume.
 */
public enum GateState implements Labelled {
  /** Not reached yet: no record (never written to the journal). */
  PENDING("pending"),
  /** An approval awaits {@code orchestrator approve}, or a wait is under way. */
  WAITING("waiting"),
  /** Its checks passed (health), or its time is up (wait). */
  PASSED("passed"),
  /** A check failed: the rollout pauses; evaluated again on resume. */
  FAILED("failed"),
  /** Approved by an operator (or automatically in the sandbox). */
  APPROVED("approved"),
  /** Rejected by an operator: the run ends, aborted. */
  REJECTED("rejected");

  private final String label;

  GateState(String label) {
    this.label = label;
  }

  /** The journal's and the events' spelling, e.g. {@code waiting}. */
  @JsonValue
  @Override
  public String label() {
    return label;
  }

  /** Returns whether the rollout may pass the gate without waiting: passed or approved. */
  public boolean open() {
    return this == PASSED || this == APPROVED;
  }

  /**
   * Reads a journal's or an event's spelling (also the Java name, in any case).
   *
   * @throws IllegalArgumentException if it names no gate state
   */
  @JsonCreator
  public static GateState of(String text) {
    return Labelled.parse(GateState.class, text);
  }
}
