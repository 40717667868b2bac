package dev.orchestrator.state;

import java.time.Instant;
import java.util.Objects;

/**
 * A host-level event that is not a step's checkpoint, e.g. the host was unreachable.
 *
 * @param host the inventory host name
 * @param state what happened to the host
 * @param message what happened
 * @param at when
 */
public record HostRecord(String host, HostState state, String message, Instant at) {
  /** Validates the fields. */
  public HostRecord {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(state, "state");
    message = message == null ? "" : message;
    Objects.requireNonNull(at, "at");
  }
}
