package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.state.SharedRuns;
import dev.orchestrator.state.WorkQueue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This controller's lease on coordinating a run of a shared store (issue 15): taken before the run
 * executes, renewed every third of its TTL on the database's clock, given up when the execution
 * ends. A controller that dies stops renewing: after the TTL a worker takes the run over ({@link
 * Worker}). While a live controller holds it, another is refused (exit 4) with the holder named.
 */
final class Coordination implements AutoCloseable {
  /** This process's identity in the shared store's leases. */
  static final String CONTROLLER = SharedRuns.newController();

  /**
   * The environment variable that sets the TTL of controllers' leases on the database (seconds,
   * e.g. {@code 30} or {@code 2.5}): the coordination of a run and the claims of its hosts.
   */
  static final String TTL_VARIABLE = "ORCHESTRATOR_CONTROLLER_TTL";

  /** The default TTL: a controller that stops renewing for this long is taken over. */
  static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

  private final WorkQueue queue;
  private final ScheduledExecutorService heartbeat;

  private Coordination(WorkQueue queue, ScheduledExecutorService heartbeat) {
    this.queue = queue;
    this.heartbeat = heartbeat;
  }

  /**
   * The TTL of controllers' leases: {@value #TTL_VARIABLE}, else {@link #DEFAULT_TTL}.
   *
   * @throws dev.orchestrator.common.InputException when the variable is not a positive number
   */
  static Duration ttl() {
    String v = System.getenv(TTL_VARIABLE);
    if (v == null || v.isBlank()) {
      return DEFAULT_TTL;
    }
    try {
      double seconds = Double.parseDouble(v.strip());
      if (seconds >= 0.3 && seconds <= 86_400) {
        return Duration.ofMillis(Math.round(seconds * 1000));
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new dev.orchestrator.common.InputException(
        TTL_VARIABLE + "='" + v + "' is not a number of seconds between 0.3 and 86400",
        "set it to e.g. 30 (the default), or unset it");
  }

  /**
   * Takes the run's coordination and starts renewing it.
   *
   * @param onLost called once if another controller took the coordination over (this one was
   *     thought dead): the execution must stop
   * @throws OrchestratorException {@link ErrorKind#CONFLICT} while a live controller holds it
   */
  static Coordination take(WorkQueue queue, CommandHints hints, Consumer<String> onLost) {
    Duration ttl = ttl();
    Optional<String> holder = queue.takeCoordination(ttl);
    if (holder.isPresent()) {
      throw refusal(queue.runId(), holder.get(), hints);
    }
    ScheduledExecutorService heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "coordination-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, ttl.toMillis() / 3);
    heartbeat.scheduleAtFixedRate(
        () -> {
          try {
            if (!queue.renewCoordination(ttl)) {
              heartbeat.shutdown();
              onLost.accept(
                  "controller "
                      + CONTROLLER
                      + " lost the coordination of the run to another controller (it missed its"
                      + " heartbeats for "
                      + ttl.toSeconds()
                      + " s); that controller continues the run");
            }
          } catch (RuntimeException e) {
            // The database is unreachable for a moment: the next heartbeat tries again.
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    return new Coordination(queue, heartbeat);
  }

  /** The refusal of a run another live controller coordinates. */
  static OrchestratorException refusal(String runId, String holder, CommandHints hints) {
    return new OrchestratorException(
        ErrorKind.CONFLICT,
        "run " + runId + " is being executed by " + holder,
        "wait for it (see it with: "
            + hints.command("status", runId)
            + "); if that controller is gone, its lease expires after its TTL and a worker or "
            + hints.command("resume", runId)
            + " continues the run");
  }

  /** Returns the run's work queue as this controller sees it. */
  WorkQueue queue() {
    return queue;
  }

  /** Stops renewing and gives the coordination up. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      queue.releaseAll(); // hosts this controller still claims: free for the next invocation
    } catch (RuntimeException e) {
      // The database is unreachable: the claims expire by themselves.
    }
    try {
      queue.releaseCoordination();
    } catch (RuntimeException e) {
      // The database is unreachable: the lease expires by itself.
    }
  }
}
