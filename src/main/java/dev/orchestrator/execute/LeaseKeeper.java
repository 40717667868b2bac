package dev.orchestrator.execute;

import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.state.LeaseState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The leases one invocation of a run holds: takes a host's lease, renews its heartbeat every third
 * of the TTL, notices when it cannot renew or has lost it (the host's pipeline then sends no more
 * steps there), and marks every lease still held paused when the run is stopped (a signal, an
 * internal error). Every change is recorded in the run's journal; problems are also events.
 */
final class LeaseKeeper {
  private final HostLease lease;
  private final Duration ttl;
  private final ScheduledExecutorService scheduler;
  private final boolean takeOver;
  private final RunJournal journal;
  private final EventSink events;
  private final LeaseCommands commands;
  private final String resumeCommand;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private String stopped; // guarded by this

  LeaseKeeper(
      HostLease lease,
      Duration ttl,
      ScheduledExecutorService scheduler,
      boolean takeOver,
      RunJournal journal,
      EventSink events,
      LeaseCommands commands,
      String resumeCommand) {
    this.lease = lease;
    this.ttl = ttl;
    this.scheduler = scheduler;
    this.takeOver = takeOver;
    this.journal = journal;
    this.events = events;
    this.commands = commands;
    this.resumeCommand = resumeCommand;
  }

  /** The outcome of {@link #take}. */
  sealed interface Taken {
    /** The lease is ours; {@code note} says whose lease was taken over, if any. */
    record Ok(Held held, String note) implements Taken {}

    /** Another run holds it (or it cannot be created). */
    record Refused(String message) implements Taken {}
  }

  /**
   * Takes a host's lease and starts renewing it. When the run is already being stopped, the lease
   * is marked paused at once.
   *
   * @throws TransportException if the host cannot be reached
   */
  Taken take(String host, String path, Connection connection) throws TransportException {
    HostLease.Result r = lease.acquire(connection, host, path, takeOver);
    if (r instanceof HostLease.Result.Refused refused) {
      return new Taken.Refused(refused.message());
    }
    Held h = new Held(host, path, connection);
    journal.recordLease(host, LeaseState.ACTIVE, "lease on " + host + " held by this run");
    String stop;
    synchronized (this) {
      stop = stopped;
      if (stop == null) {
        held.put(host, h);
      }
    }
    if (stop != null) {
      h.pause(stop);
    } else {
      h.startRenewing();
    }
    return new Taken.Ok(h, ((HostLease.Result.Acquired) r).note());
  }

  /** Returns whether this invocation holds {@code host}'s lease. */
  boolean holds(String host) {
    return held.containsKey(host);
  }

  /**
   * Returns whether this invocation holds {@code host}'s lease other than as {@code except} (the
   * host's own pipeline took it while a delegated step held it): then {@code except} must not
   * release it.
   */
  boolean holdsOther(String host, Held except) {
    Held h = held.get(host);
    return h != null && h != except;
  }

  /**
   * Marks every lease still held paused, with {@code reason} in the journal: the run is being
   * stopped. Leases taken later are paused at once. Works on all hosts at once and returns within
   * about 30 seconds whatever the hosts do.
   */
  void pauseAll(String reason) {
    List<Held> all;
    synchronized (this) {
      stopped = reason;
      all = List.copyOf(held.values());
    }
    if (all.isEmpty()) {
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(8, all.size()),
            r -> {
              Thread t = new Thread(r, "lease-pause");
              t.setDaemon(true);
              return t;
            });
    for (Held h : all) {
      pool.submit(() -> h.pause(reason));
    }
    pool.shutdown();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One host's lease while this invocation holds it. Thread-safe. */
  final class Held {
    private final String host;
    private final String path;
    private final Connection connection;
    private LeaseState state = LeaseState.ACTIVE; // guarded by this
    private String problem = ""; // guarded by this
    private ScheduledFuture<?> renewal; // guarded by this

    private Held(String host, String path, Connection connection) {
      this.host = host;
      this.path = path;
      this.connection = connection;
    }

    private synchronized void startRenewing() {
      long period = Math.max(1, ttl.toMillis() / 3);
      renewal = scheduler.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    private synchronized void stopRenewing() {
      if (renewal != null) {
        renewal.cancel(false);
      }
    }

    /**
     * Why no more steps may be sent to the host (the lease was lost or cannot be renewed), or
     * empty.
     */
    synchronized Optional<String> problem() {
      return problem.isEmpty() ? Optional.empty() : Optional.of(problem);
    }

    /** Renews the heartbeat; on a lost or unrenewable lease records why and stops renewing. */
    synchronized void renew() {
      if (state != LeaseState.ACTIVE) {
        return;
      }
      try {
        HostLease.Check check;
        try {
          check = lease.write(connection, host, path, LeaseState.ACTIVE);
        } catch (TransportException e) {
          check = new HostLease.Check.Failed(e.getMessage());
        }
        if (check instanceof HostLease.Check.Lost lost) {
          stopRenewing();
          state = LeaseState.LOST;
          problem =
              "this run lost its lease on "
                  + host
                  + ": "
                  + HostLease.describe(lost.line())
                  + "; no more steps are sent to "
                  + host
                  + ". Make sure no other run is working on it (see the lease file "
                  + path
                  + "), then: "
                  + resumeCommand;
          report(LeaseState.LOST);
        } else if (check instanceof HostLease.Check.Failed failed) {
          stopRenewing();
          problem =
              "cannot renew the lease on "
                  + host
                  + " ("
                  + path
                  + "): "
                  + failed.why()
                  + "; no more steps are sent to "
                  + host
                  + " (another run could take a lease that is not renewed). Fix the cause (a full"
                  + " disk? the connection?), then: "
                  + resumeCommand;
          try {
            lease.write(connection, host, path, LeaseState.PAUSED);
          } catch (TransportException | RuntimeException e) {
            // The lease goes stale after its TTL; the journal says what happened.
          }
          state = LeaseState.PAUSED;
          report(LeaseState.PAUSED);
        }
      } catch (RuntimeException e) {
        // A journal or event failure must not stop the renewals silently: record it as a problem.
        stopRenewing();
        problem = "the lease on " + host + " cannot be kept: " + e + "; then: " + resumeCommand;
      }
    }

    private void report(LeaseState recorded) {
      journal.recordLease(host, recorded, problem);
      events.emit(new Event.StepWarning(Instant.now(), host, "lease", problem));
    }

    /** Marks the lease paused (if still active), recording {@code why}. Never throws. */
    synchronized void pause(String why) {
      stopRenewing();
      if (state != LeaseState.ACTIVE) {
        return;
      }
      HostLease.Check check;
      // A pipeline stopped by the executor is interrupted: the mark must still reach the host.
      boolean interrupted = Thread.interrupted();
      try {
        check = lease.write(connection, host, path, LeaseState.PAUSED);
      } catch (TransportException | RuntimeException e) {
        check = new HostLease.Check.Failed(e.getMessage());
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        if (check instanceof HostLease.Check.Lost lost) {
          state = LeaseState.LOST;
          journal.recordLease(host, LeaseState.LOST, why + "; " + HostLease.describe(lost.line()));
        } else {
          state = LeaseState.PAUSED;
          journal.recordLease(
              host,
              LeaseState.PAUSED,
              why
                  + (check instanceof HostLease.Check.Failed f
                      ? " (the lease file could not be marked paused: "
                          + f.why()
                          + "; it stays active until its TTL runs out, or: "
                          + commands.unlock(host)
                          + ")"
                      : ""));
        }
      } catch (RuntimeException e) {
        // The journal cannot be written (the run is ending anyway): the lease file says paused.
      }
    }

    /** Releases the lease (if still active): the host is done. Never throws. */
    synchronized void release(String why) {
      stopRenewing();
      if (state != LeaseState.ACTIVE) {
        return;
      }
      state = LeaseState.RELEASED;
      HostLease.Check check;
      boolean interrupted = Thread.interrupted();
      try {
        check = lease.release(connection, host, path);
      } catch (TransportException | RuntimeException e) {
        check = new HostLease.Check.Failed(e.getMessage());
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (check instanceof HostLease.Check.Ours) {
        journal.recordLease(host, LeaseState.RELEASED, why);
      } else if (check instanceof HostLease.Check.Lost lost) {
        state = LeaseState.LOST;
        journal.recordLease(host, LeaseState.LOST, why + "; " + HostLease.describe(lost.line()));
      } else if (check instanceof HostLease.Check.Failed f) {
        state = LeaseState.UNRELEASED;
        journal.recordLease(
            host,
            LeaseState.UNRELEASED,
            why
                + ", but its lease could not be released: "
                + f.why()
                + "; release it with: "
                + commands.unlock(host));
      }
    }

    /** Forgets the lease: its pipeline is over. */
    void done() {
      stopRenewing();
      held.remove(host, this);
    }
  }

  /**
   * The lease keeper of one execution of a run: this process's leases (controller {@link
   * #controllerName()}, its pid and start time), with the settings' TTL, stale-lease policy and
   * commands.
   *
   * @param renewals runs the heartbeats; the caller shuts it down when the execution ends
   */
  static LeaseKeeper forRun(
      RunJournal journal,
      EngineSettings settings,
      java.util.concurrent.ScheduledExecutorService renewals,
      EventSink events) {
    return new LeaseKeeper(
        new HostLease(
            journal.runId(),
            controllerName(),
            ProcessHandle.current().pid(),
            ProcessIdentity.current().orElse(""),
            settings.leaseTtl(),
            settings.leaseCommands()),
        settings.leaseTtl(),
        renewals,
        settings.staleLeases() == EngineSettings.StaleLeases.TAKE_OVER,
        journal,
        events,
        settings.leaseCommands(),
        settings.next().resume());
  }

  /** This controller's name in leases: its host name. */
  static String controllerName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
