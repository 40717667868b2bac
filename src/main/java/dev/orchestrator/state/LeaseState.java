package dev.orchestrator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.orchestrator.common.Labelled;

/**
 * The state of a run's lease on a host, as the journal records it (and {@code status RUN} shows it
 * beside the host). The journal stores the {@link #label()} in a {@link LeaseRecord}.
 */
public enum LeaseState implements Labelled {
  /** Held, its heartbeat renewed while the run works on the host. */
  ACTIVE,
  /** Held for a paused host (or a run stopped by a signal or an internal error). */
  PAUSED,
  /** Given back: the host is done, the run was aborted, or someone ran {@code unlock}. */
  RELEASED,
  /** Taken from this run while it worked (released by {@code unlock}, then taken by another). */
  LOST,
  /** Still on the host although the run no longer wants it: the host could not be reached. */
  UNRELEASED;

  /** The journal's spelling: the lower-case name. */
  @JsonValue
  @Override
  public String label() {
    return Labelled.lowerCase(this);
  }

  /** Returns whether the run still holds (or may still hold) the lease: not released or lost. */
  public boolean held() {
    return this == ACTIVE || this == PAUSED || this == UNRELEASED;
  }

  /**
   * Reads a journal's spelling (also the Java name, in any case).
   *
   * @throws IllegalArgumentException if it names no lease state
   */
  @JsonCreator
  public static LeaseState of(String text) {
    return Labelled.parse(LeaseState.class, text);
  }
}
