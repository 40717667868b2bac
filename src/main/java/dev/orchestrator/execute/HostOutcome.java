package dev.orchestrator.execute;

import java.util.Objects;

/** How a host's pipeline ended in this invocation. */
sealed interface HostOutcome {
  /** Returns the host's name. */
  String host();

  /** Every step is done (succeeded or skipped). */
  record Done(String host) implements HostOutcome {}

  /** A step failed after its retries: the host is paused at it. */
  record Paused(String host, String step, String message) implements HostOutcome {
    public Paused {
      Objects.requireNonNull(step);
      Objects.requireNonNull(message);
    }
  }

  /** Another run holds the host's lease. */
  record Refused(String host, String message) implements HostOutcome {}

  /** The host could not be reached, or the connection was lost. */
  record Unreachable(String host, String message) implements HostOutcome {}
}
