package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.HostWork;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.SharedRuns;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.state.WorkQueue;
import dev.orchestrator.transport.Connector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code orchestrator worker} (issue 15): a controller that joins the running runs of a shared
 * store. It claims hosts of their current batches (row leases, {@link WorkQueue}), runs each host's
 * pipeline against the run's current checkpoints ({@link HostWork}) and records the outcome for the
 * run's coordinator, which alone walks the rollout; and it takes over the coordination of a run
 * whose coordinator died (its lease expired), continuing it as {@code resume} would. A run it
 * cannot load (a file missing on this machine, a secret var not given) is not joined, said once.
 * {@link #stop} (a signal) stops claiming, gives claims not finished back and returns.
 */
final class Worker {
  /** How often the store is asked for work when there was none. */
  static final Duration IDLE_POLL = Duration.ofMillis(200);

  private final WorkerRequest request;
  private final Orchestrator service;
  private final EventSink events;
  private final Console console;
  private final Path localHome;
  private final AtomicBoolean stopping = new AtomicBoolean(false);
  private final Map<String, Joined> joined = new ConcurrentHashMap<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final Set<String> coordinating = ConcurrentHashMap.newKeySet();

  Worker(
      WorkerRequest request,
      Orchestrator service,
      EventSink events,
      Console console,
      Path localHome) {
    this.request = request;
    this.service = service;
    this.events = events;
    this.console = console;
    this.localHome = localHome;
  }

  /** A run this worker joined: its loaded inputs, journal, pipelines and claims under way. */
  private record Joined(
      LoadedRun run,
      RunJournal journal,
      WorkQueue queue,
      HostWork work,
      Map<String, AtomicBoolean> claims,
      EventRecorder recorder) {}

  /**
   * Works until {@link #stop}, or until the requested run is no longer running.
   *
   * @return {@link Outcome#SUCCEEDED}
   * @throws InputException when the store is not a shared one
   */
  Outcome work() {
    StateStore store = request.state().store();
    SharedRuns shared =
        store
            .shared()
            .orElseThrow(
                () ->
                    new InputException(
                        "'worker' needs a state store that several controllers share; "
                            + store.location()
                            + " is a folder, which only one controller uses",
                        "give the PostgreSQL store: --state postgresql://USER@HOST:PORT/DB (or"
                            + " ORCHESTRATOR_STATE); see README, \"Team and scale-out\""));
    Duration ttl = Coordination.ttl();
    request.runId().ifPresent(store::load); // an unknown run is refused before any work
    console
        .out()
        .println(
            "worker "
                + Coordination.CONTROLLER
                + " joins "
                + request.runId().map(r -> "run " + r).orElse("every running run")
                + " in "
                + store.location()
                + " (up to "
                + request.maxHosts()
                + " hosts at once)");
    console.out().flush();
    Semaphore capacity = new Semaphore(request.maxHosts());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            request.maxHosts() + 1,
            r -> {
              Thread t = new Thread(r, "worker");
              t.setDaemon(true);
              return t;
            });
    ScheduledExecutorService renewals =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "claim-renewal");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(100, ttl.toMillis() / 3);
    renewals.scheduleAtFixedRate(() -> renew(ttl), every, every, TimeUnit.MILLISECONDS);
    java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop("the worker was stopped (SIGTERM, SIGINT or SIGHUP)");
              try {
                ended.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      while (!stopping.get()) {
        if (request.runId().isPresent()
            && capacity.availablePermits() == request.maxHosts()
            && coordinating.isEmpty()
            && store.load(request.runId().get()).info().status() != RunStatus.RUNNING) {
          console.out().println("worker: run " + request.runId().get() + " is no longer running");
          return Outcome.SUCCEEDED;
        }
        boolean claimed = false;
        for (String runId : wanted(shared.orphanedRuns())) {
          if (coordinating.add(runId)) {
            pool.submit(() -> coordinate(runId));
          }
        }
        for (String runId : wanted(shared.runsWithWork())) {
          int free = capacity.availablePermits();
          if (free == 0) {
            break;
          }
          Optional<Joined> j = join(runId);
          if (j.isEmpty()) {
            continue;
          }
          for (WorkQueue.Claim claim : j.get().queue().claim(free, ttl)) {
            capacity.acquireUninterruptibly();
            claimed = true;
            AtomicBoolean stop = new AtomicBoolean(false);
            j.get().claims().put(claim.host(), stop);
            pool.submit(
                () -> {
                  try {
                    runClaimed(j.get(), claim, stop);
                  } finally {
                    j.get().claims().remove(claim.host());
                    capacity.release();
                  }
                });
          }
        }
        if (!claimed) {
          sleep(IDLE_POLL);
        }
      }
      return Outcome.SUCCEEDED;
    } finally {
      renewals.shutdownNow();
      pool.shutdown();
      try {
        pool.awaitTermination(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      joined.values().forEach(this::leave);
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook waits for this
      }
    }
  }

  /**
   * Stops the worker (a signal): no more claims; pipelines stop before their next step and their
   * hosts are given back to the run.
   */
  void stop(String reason) {
    stopping.set(true);
    joined.values().forEach(j -> j.work().stop(reason));
  }

  private List<String> wanted(List<String> runs) {
    return runs.stream()
        .filter(r -> request.runId().map(r::equals).orElse(true))
        .filter(r -> !refused.contains(r))
        .toList();
  }

  /** Loads a run once, or says once why it cannot be joined. */
  private Optional<Joined> join(String runId) {
    Joined j = joined.get(runId);
    if (j != null) {
      return Optional.of(j);
    }
    try {
      StoredRunRequest stored = stored(runId);
      LoadedRun run = LoadedRun.load(stored);
      Plan plan = run.plan(Set.of());
      Connector connector = Wiring.connector(run.inputs.spec(), localHome);
      RunJournal journal = run.store.open(runId);
      EventRecorder recorder = new EventRecorder(journal);
      // Assembled as every execution is (settings, connector, artifacts fetched through the run's
      // masked sink): the worker's share of the run.
      HostWork work =
          new Execution(
                  plan,
                  journal,
                  run.inputs,
                  run.templates,
                  connector,
                  Execution.Command.share(stored),
                  Optional.empty())
              .hostWork(EventSink.all(List.of(events, recorder)));
      j =
          new Joined(
              run,
              journal,
              run.store.shared().orElseThrow().queue(runId, Coordination.CONTROLLER),
              work,
              new ConcurrentHashMap<>(),
              recorder);
      joined.put(runId, j);
      console.out().println("worker: joined run " + runId);
      console.out().flush();
      return Optional.of(j);
    } catch (OrchestratorException e) {
      refused.add(runId);
      console
          .err()
          .println(
              "worker: not joining run "
                  + runId
                  + ": "
                  + e.getMessage()
                  + (e.hint().isEmpty() ? "" : " (" + e.hint() + ")"));
      console.err().flush();
      return Optional.empty();
    }
  }

  private StoredRunRequest stored(String runId) {
    return new StoredRunRequest(
        runId, request.state(), request.vars(), request.connection(), request.hints());
  }

  /** Runs a claimed host, planned against the run's checkpoints now, and records its outcome. */
  private void runClaimed(Joined j, WorkQueue.Claim claim, AtomicBoolean stop) {
    String host = claim.host();
    try {
      Optional<PlannedHost> planned =
          j.run()
              .planHostAgainst(
                  j.run().store.load(j.queue().runId()),
                  claim.firstClaim() ? claim.rerun() : Set.of(),
                  host);
      if (planned.isEmpty()) {
        j.queue().release(host);
        return;
      }
      console.out().println("worker: run " + j.queue().runId() + ": working on " + host);
      console.out().flush();
      String outcome = j.work().run(planned.get(), stop);
      if (stopping.get()) {
        j.queue().release(host); // the host stopped for the signal: another controller goes on
      } else if (!j.queue().complete(host, outcome)) {
        console.err().println("worker: " + host + " was taken over by another controller");
      } else {
        console.out().println("worker: run " + j.queue().runId() + ": " + host + " ended");
      }
      console.out().flush();
    } catch (RuntimeException e) {
      j.queue().release(host);
      console.err().println("worker: " + host + ": " + e.getMessage());
      console.err().flush();
    }
  }

  /** Continues a run whose coordinator died, as {@code resume} would. */
  private void coordinate(String runId) {
    try {
      console.out().println("worker: run " + runId + " lost its coordinator; continuing it");
      console.out().flush();
      Outcome outcome = service.resume(ResumeRequest.plain(stored(runId)), events, console);
      console.out().println("worker: run " + runId + " ended here: " + outcome);
    } catch (InputException e) {
      refused.add(runId);
      console.err().println("worker: not continuing run " + runId + ": " + e.getMessage());
    } catch (OrchestratorException e) {
      if (e.kind() != ErrorKind.CONFLICT && e.kind() != ErrorKind.NOT_ALLOWED) {
        console.err().println("worker: run " + runId + ": " + e.getMessage());
      }
    } finally {
      console.out().flush();
      console.err().flush();
      coordinating.remove(runId);
    }
  }

  private void renew(Duration ttl) {
    for (Joined j : joined.values()) {
      try {
        for (String lost : j.queue().renew(List.copyOf(j.claims().keySet()), ttl)) {
          AtomicBoolean stop = j.claims().get(lost);
          if (stop != null) {
            stop.set(true);
          }
        }
      } catch (RuntimeException e) {
        // The database is unreachable for a moment: the next renewal tries again.
      }
    }
  }

  private void leave(Joined j) {
    j.work().close();
    j.recorder().close();
    Wiring.close(j.journal());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
