package dev.orchestrator.state;

import java.util.Locale;

/**
 * The state of a run's lease on a host, as the journal records it (and {@code status RUN} shows it
 * beside the host). The journal stores the {@link #label()}.
 */
public enum LeaseState {
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
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
