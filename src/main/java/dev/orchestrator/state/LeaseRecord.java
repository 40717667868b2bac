package dev.orchestrator.state;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of a run's lease on a host, as the journal records it (the host's lock file mirrors it).
 * Its JSON form, {@code {"host", "state", "message", "at"}} with the state's {@link
 * LeaseState#label()}, is the one earlier versions wrote.
 *
 * @param host the inventory host name
 * @param state the lease's new state
 * @param message what happened, and what to do when it needs an operator
 * @param at when
 */
public record LeaseRecord(String host, LeaseState state, String message, Instant at) {
  /** Validates the fields. */
  public LeaseRecord {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(state, "state");
    message = message == null ? "" : message;
    Objects.requireNonNull(at, "at");
  }
}
