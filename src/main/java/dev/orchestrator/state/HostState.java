package dev.orchestrator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.orchestrator.common.Labelled;

/**
 * What a {@link HostRecord} says about a host, beside its steps' checkpoints. The journal stores
 * the {@link #label()}; journals of earlier versions hold the same spellings.
 */
public enum HostState implements Labelled {
  /** The host could not be reached, or its connection was lost: paused until resumed. */
  UNREACHABLE("unreachable"),
  /** Every step of the host is done (succeeded or skipped); supersedes the records before it. */
  DONE("done"),
  /** A failed step was rolled back ({@code rollback_on_failure}): resume starts the host over. */
  ROLLED_BACK("rolled-back");

  private final String label;

  HostState(String label) {
    this.label = label;
  }

  /** The journal's spelling, e.g. {@code rolled-back}. */
  @JsonValue
  @Override
  public String label() {
    return label;
  }

  /**
   * Reads a journal's spelling (also the Java name, in any case).
   *
   * @throws IllegalArgumentException if it names no host state
   */
  @JsonCreator
  public static HostState of(String text) {
    return Labelled.parse(HostState.class, text);
  }
}
