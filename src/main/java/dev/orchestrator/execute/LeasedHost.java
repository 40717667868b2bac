package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.TransportException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One host's lease while its pipeline runs, on top of {@link LeaseKeeper}: takes it (refused when
 * another run holds it), says when no more steps may be sent ({@link #halted}), and when the steps
 * end releases it (the host is done) or marks it paused, whatever ended them (a failure, a lost
 * lease, an internal error). Without leases (unit tests of other parts) it only runs the steps.
 */
final class LeasedHost {
  private final Optional<HostPipeline.Leases> leases;
  private final PlannedHost planned;
  private final EventSink events;

  /** The lease held while the steps run; empty before {@link #take} or without leases. */
  private Optional<LeaseKeeper.Held> held = Optional.empty();

  LeasedHost(Optional<HostPipeline.Leases> leases, PlannedHost planned, EventSink events) {
    this.leases = leases;
    this.planned = planned;
    this.events = events;
  }

  /**
   * Takes the host's lease over {@code connection}.
   *
   * @return empty when the lease is ours (or there are no leases), else the refusal, already
   *     reported
   * @throws TransportException if the host cannot be reached
   */
  Optional<HostOutcome> take(Connection connection) throws TransportException {
    if (leases.isEmpty()) {
      return Optional.empty();
    }
    String host = planned.host().name();
    String path = HostLease.path(host, planned.host().vars());
    LeaseKeeper.Taken taken = leases.get().keeper().take(host, path, connection);
    if (taken instanceof LeaseKeeper.Taken.Refused refused) {
      HostOutcome outcome = new HostOutcome.Refused(host, refused.message());
      events.emit(outcome.finished(Instant.now()));
      return Optional.of(outcome);
    }
    LeaseKeeper.Taken.Ok ok = (LeaseKeeper.Taken.Ok) taken;
    held = Optional.of(ok.held());
    if (!ok.note().isEmpty()) {
      events.emit(new Event.StepWarning(Instant.now(), host, "lease", ok.note()));
    }
    return Optional.empty();
  }

  /**
   * Runs the host's steps while the lease is kept alive, then releases or pauses it.
   *
   * @param steps the host's steps
   * @param hostDone whether the host is done once they are (no deferred steps follow in this run)
   */
  HostOutcome keepWhile(Supplier<HostOutcome> steps, boolean hostDone) {
    if (held.isEmpty()) {
      return steps.get();
    }
    LeaseKeeper.Held h = held.get();
    String host = planned.host().name();
    HostOutcome outcome;
    try {
      outcome = steps.get();
    } catch (RuntimeException | Error e) {
      h.pause("internal error while working on " + host + ": " + e);
      h.done();
      throw e;
    }
    if (outcome instanceof HostOutcome.Done) {
      if (hostDone) {
        h.release("the host is done");
      } else {
        h.pause("the host's steps are done; its deferred steps follow in this run");
      }
    } else if (outcome instanceof HostOutcome.Paused p) {
      h.pause(
          stopping().isPresent()
              ? p.message()
              : "kept while the host is paused; resume continues, unlock releases");
    } else {
      h.pause("kept: the connection to " + host + " was lost; resume continues");
    }
    h.done();
    return outcome;
  }

  /**
   * Why no more steps may be sent to this host: the run is being stopped, or its lease was lost or
   * cannot be renewed; empty when the pipeline may go on.
   */
  Optional<String> halted() {
    Optional<String> stopping = stopping();
    if (stopping.isPresent()) {
      return stopping;
    }
    return held.flatMap(LeaseKeeper.Held::problem);
  }

  private Optional<String> stopping() {
    return leases.flatMap(l -> l.stopping().get());
  }
}
