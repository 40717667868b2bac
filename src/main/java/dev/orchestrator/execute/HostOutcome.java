package dev.orchestrator.execute;

import dev.orchestrator.report.Event;
import dev.orchestrator.report.HostFinishState;
import java.time.Instant;
import java.util.Objects;

/**
 * How a host's pipeline ended in this invocation: the engine's result, with what the rollout needs
 * (the step a host paused at, why). Its vocabulary is the event's, {@link HostFinishState}: {@link
 * #state()} and {@link #of} are the one mapping both ways (the {@code host_finished} event, a
 * shared run's stored outcome). The persisted {@link dev.orchestrator.state.HostState} is another
 * view (a host record beside the checkpoints: done, unreachable, rolled back) and is written by the
 * checkpoint writer, not mapped from this.
 */
sealed interface HostOutcome {
  /** Returns the host's name. */
  String host();

  /** How the event and a shared run's work item spell this outcome. */
  HostFinishState state();

  /** The step the host paused at, or empty. */
  default String step() {
    return "";
  }

  /** Why it did not finish, or empty. */
  default String message() {
    return "";
  }

  /** The {@code host_finished} event of this outcome. */
  default Event.HostFinished finished(Instant at) {
    return new Event.HostFinished(at, host(), state(), step(), message());
  }

  /**
   * The outcome a state spells (the inverse of {@link #state()}).
   *
   * @param step the step a paused host waits at (else ignored)
   * @param message why it did not finish (ignored when done)
   */
  static HostOutcome of(String host, HostFinishState state, String step, String message) {
    return switch (state) {
      case DONE -> new Done(host);
      case PAUSED -> new Paused(host, step, message);
      case REFUSED -> new Refused(host, message);
      case UNREACHABLE -> new Unreachable(host, message);
    };
  }

  /** Every step is done (succeeded or skipped). */
  record Done(String host) implements HostOutcome {
    @Override
    public HostFinishState state() {
      return HostFinishState.DONE;
    }
  }

  /** A step failed after its retries: the host is paused at it. */
  record Paused(String host, String step, String message) implements HostOutcome {
    public Paused {
      Objects.requireNonNull(step);
      Objects.requireNonNull(message);
    }

    @Override
    public HostFinishState state() {
      return HostFinishState.PAUSED;
    }
  }

  /** Another run holds the host's lease. */
  record Refused(String host, String message) implements HostOutcome {
    @Override
    public HostFinishState state() {
      return HostFinishState.REFUSED;
    }
  }

  /** The host could not be reached, or the connection was lost. */
  record Unreachable(String host, String message) implements HostOutcome {
    @Override
    public HostFinishState state() {
      return HostFinishState.UNREACHABLE;
    }
  }
}
