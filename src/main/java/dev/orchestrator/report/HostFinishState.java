package dev.orchestrator.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.orchestrator.common.Labelled;

/**
 * How a host's part of a run ended in this invocation, as a {@link Event.HostFinished} reports it
 * ({@code state} in JSON, the {@link #label()}).
 */
public enum HostFinishState implements Labelled {
  /** Every step is done (succeeded or skipped). */
  DONE("done"),
  /** A step failed or is in doubt, or the run stopped: the host waits at a step for a resume. */
  PAUSED("paused"),
  /** The host could not be reached, or its connection was lost. */
  UNREACHABLE("unreachable"),
  /** Another run holds the host's lease. */
  REFUSED("refused");

  private final String label;

  HostFinishState(String label) {
    this.label = label;
  }

  /** The JSON spelling, e.g. {@code unreachable}. */
  @JsonValue
  @Override
  public String label() {
    return label;
  }

  /**
   * Reads an event's spelling (also the Java name, in any case).
   *
   * @throws IllegalArgumentException if it names no state
   */
  @JsonCreator
  public static HostFinishState of(String text) {
    return Labelled.parse(HostFinishState.class, text);
  }
}
