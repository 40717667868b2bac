package dev.orchestrator.execute;

import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedBatch;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStage;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.rollout.FailureBudget;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Walks a {@link Plan}: for each stage its gates, then its batches in order; within a batch up to
 * {@code forks} hosts at once, each running its own {@link HostPipeline} (no lock-step across
 * hosts). After each batch the failure budget ({@code max_fail_percentage}, {@code
 * any_errors_fatal}) and the batch gates decide whether the rollout goes on; otherwise the run
 * pauses before the next batch or stage. Deferred steps start once their batch has passed, without
 * holding the rollout, and are awaited at the end. Hosts already done are not contacted. Reports
 * through events only; decides nothing the plan does not say.
 */
public final class RunExecutor {
  /**
   * The commands shown to continue a paused run.
   *
   * @param resume continues after failures or a failed gate
   * @param approve approves a waiting approval gate
   */
  public record NextCommands(String resume, String approve) {}

  private final Connector connector;
  private final EventSink events;
  private final TemplateEngine templates;
  private final int forks;
  private final boolean autoApprove;
  private Map<dev.orchestrator.artifact.ArtifactKey, dev.orchestrator.artifact.FetchedArtifact>
      artifacts = Map.of();

  /** The run's secret values: every event and every record of the run is masked with them. */
  private final dev.orchestrator.common.Redactor redactor = new dev.orchestrator.common.Redactor();

  private HostPipeline.Leases leases;
  private java.util.Set<String> secretNames = java.util.Set.of();

  /**
   * Names variables to mask as secrets beyond those whose names look secret (the playbook's {@code
   * secret_vars}, the keys of {@code --secrets-file}).
   *
   * @return this executor
   */
  public RunExecutor withSecretNames(java.util.Set<String> names) {
    this.secretNames = java.util.Set.copyOf(names);
    return this;
  }

  private boolean takeOver;
  private Duration leaseTtl = Duration.ofMinutes(10);
  private LeaseCommands leaseCommands =
      new LeaseCommands() {
        @Override
        public String resume(String runId) {
          return "orchestrator resume " + runId;
        }

        @Override
        public String abort(String runId) {
          return "orchestrator abort " + runId;
        }

        @Override
        public String unlock(String host) {
          return "orchestrator unlock " + host + " (with the run's inventory)";
        }
      };

  /**
   * Sets how hosts' leases behave.
   *
   * @param ttl a lease's time to live (renewed every third of it; written in whole seconds)
   * @param takeOverStale whether a stale lease of another machine may be taken over ({@code
   *     --take-over})
   * @param commands the commands a refusal shows (resume, abort, unlock as the operator types them)
   * @return this executor
   */
  public RunExecutor withLeases(Duration ttl, boolean takeOverStale, LeaseCommands commands) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a lease's TTL must be positive, got " + ttl);
    }
    this.leaseTtl = ttl;
    this.takeOver = takeOverStale;
    this.leaseCommands = java.util.Objects.requireNonNull(commands, "commands");
    return this;
  }

  /** How {@link #interrupt} found the run. */
  public enum Interrupted {
    /** {@link #execute} had not started: it will not start; the caller records the stop. */
    NOT_STARTED,
    /** The run was executing: it is now paused with the reason, its leases marked paused. */
    STOPPED,
    /** The run had already ended (or was already stopped): nothing was changed. */
    ENDED
  }

  private final Object control = new Object();
  private boolean started; // guarded by control
  private boolean ended; // guarded by control
  private volatile String stopReason;
  private RunJournal running; // guarded by control
  private LeaseKeeper keeper; // guarded by control
  private NextCommands nextCommands; // guarded by control
  private Instant startedAt; // guarded by control

  /**
   * Stops the run this executor is executing, from any thread (the CLI's shutdown hook on SIGTERM
   * or SIGINT): no more steps are sent, the run is recorded as paused with {@code reason}, every
   * lease it holds is marked paused, and a {@link Event.RunFinished} says how to continue. Steps
   * under way are not waited for: resume handles them as after a crash. Returns within about 30
   * seconds whatever the hosts do.
   *
   * @param reason why, for the journal and the console
   * @return how the run was found
   */
  public Interrupted interrupt(String reason) {
    return stop(reason);
  }

  private Interrupted stop(String reason) {
    RunJournal journal;
    LeaseKeeper leases;
    NextCommands next;
    Instant since;
    synchronized (control) {
      if (ended || stopReason != null) {
        return Interrupted.ENDED;
      }
      stopReason = reason;
      if (!started) {
        return Interrupted.NOT_STARTED;
      }
      journal = running;
      leases = keeper;
      next = nextCommands;
      since = startedAt;
      try {
        journal.status(RunStatus.PAUSED, reason);
      } catch (RuntimeException e) {
        // The state store cannot be written: the leases are still worth marking.
      }
    }
    leases.pauseAll(reason);
    try {
      events.emit(
          new Event.RunFinished(
              Instant.now(),
              journal.runId(),
              "paused",
              reason,
              Duration.between(since, Instant.now()),
              next.resume()));
    } catch (RuntimeException e) {
      // The console may be gone (the process is ending); the journal has it.
    }
    return Interrupted.STOPPED;
  }

  /** Who aborted the run, when this execution is {@code abort --rollback}; else null. */
  private String abortedBy;

  /**
   * Makes this execution the rollback of {@code abort --rollback}: it starts as a rollback, and the
   * run ends {@link RunStatus#ABORTED} with "ABORTED_BY; rolled back N host(s)" when every host is
   * rolled back, or "ABORTED_BY; rollback incomplete: HOSTS; fix the cause, then: NEXT" (its {@link
   * RunResult#pausedHosts()} non-empty) when not.
   *
   * @param abortedBy e.g. "aborted by alice"
   * @return this executor
   */
  public RunExecutor asRollback(String abortedBy) {
    this.abortedBy = java.util.Objects.requireNonNull(abortedBy, "abortedBy");
    return this;
  }

  private java.util.function.BiFunction<
          String, Map<String, Object>, dev.orchestrator.artifact.ArtifactKey>
      artifactKey = (id, vars) -> new dev.orchestrator.artifact.ArtifactKey(id, "", "");

  /**
   * Gives the executor the artifacts fetched on the controller, for {@code upload:} steps.
   *
   * @return this executor
   */
  public RunExecutor withArtifacts(
      Map<dev.orchestrator.artifact.ArtifactKey, dev.orchestrator.artifact.FetchedArtifact> fetched,
      java.util.function.BiFunction<
              String, Map<String, Object>, dev.orchestrator.artifact.ArtifactKey>
          keyOf) {
    this.artifacts = Map.copyOf(fetched);
    this.artifactKey = keyOf;
    return this;
  }

  /**
   * Creates an executor.
   *
   * @param connector opens connections to hosts
   * @param events receives the events
   * @param templates renders step templates
   * @param forks the most hosts worked on at once, at least 1
   * @param autoApprove whether approval gates pass by themselves (the sandbox's demo)
   */
  public RunExecutor(
      Connector connector,
      EventSink events,
      TemplateEngine templates,
      int forks,
      boolean autoApprove) {
    if (forks < 1) {
      throw new IllegalArgumentException("forks must be at least 1");
    }
    this.connector = connector;
    this.events = new dev.orchestrator.report.RedactingEventSink(events, redactor);
    this.templates = templates;
    this.forks = forks;
    this.autoApprove = autoApprove;
  }

  /** An executor whose approval gates wait for a person. */
  public RunExecutor(Connector connector, EventSink events, TemplateEngine templates, int forks) {
    this(connector, events, templates, forks, false);
  }

  /** Executes with a plain resume command for both kinds of pause. */
  public RunResult execute(
      Plan plan,
      RunJournal journal,
      boolean resumed,
      Predicate<String> selected,
      String nextCommand) {
    return execute(
        plan, journal, resumed, selected, new NextCommands(nextCommand, nextCommand), Map.of());
  }

  /**
   * Executes the plan, recording into {@code journal}, and sets the run's final status there.
   *
   * @param plan the plan
   * @param journal the run's journal
   * @param resumed whether this continues an earlier invocation (for the events)
   * @param selected which hosts may be worked on (others are left as they are)
   * @param next the commands that continue the run, shown when it pauses
   * @param runVars playbook and extra vars, for templates outside hosts (e.g. a wait gate's time)
   * @return the outcome
   */
  public RunResult execute(
      Plan plan,
      RunJournal journal,
      boolean resumed,
      Predicate<String> selected,
      NextCommands next,
      Map<String, Object> runVars) {
    Instant start = Instant.now();
    java.util.concurrent.ScheduledExecutorService renewals =
        Executors.newSingleThreadScheduledExecutor(daemon("lease-renewal"));
    LeaseKeeper leaseKeeper =
        new LeaseKeeper(
            new HostLease(
                journal.runId(),
                controllerName(),
                ProcessHandle.current().pid(),
                ProcessIdentity.current().orElse(""),
                leaseTtl,
                leaseCommands),
            leaseTtl,
            renewals,
            takeOver,
            journal,
            events,
            leaseCommands,
            next.resume());
    synchronized (control) {
      if (stopReason != null) {
        renewals.shutdownNow();
        return new RunResult(journal.runId(), RunStatus.PAUSED, stopReason, List.of(), false);
      }
      started = true;
      running = journal;
      keeper = leaseKeeper;
      nextCommands = next;
      startedAt = start;
      journal.status(RunStatus.RUNNING, "");
    }
    leases = new HostPipeline.Leases(leaseKeeper, () -> Optional.ofNullable(stopReason));
    try {
      return executeStarted(plan, journal, resumed, selected, next, runVars, start, renewals);
    } catch (RuntimeException | Error e) {
      stop(internalError(e));
      throw e;
    }
  }

  private static String internalError(Throwable e) {
    return "internal error: "
        + e
        + " (a bug in orchestrator); steps under way may or may not have finished: resume checks"
        + " them";
  }

  private RunResult executeStarted(
      Plan plan,
      RunJournal journal,
      boolean resumed,
      Predicate<String> selected,
      NextCommands next,
      Map<String, Object> runVars,
      Instant start,
      java.util.concurrent.ScheduledExecutorService renewals) {
    events.emit(
        new Event.RunStarted(
            start,
            journal.runId(),
            plan.playbook().name(),
            resumed,
            plan.hostOrder().size(),
            plan.hostOrder(),
            abortedBy != null));
    Map<String, Object> vars = new LinkedHashMap<>(plan.playbook().vars());
    vars.putAll(runVars);
    vars.put("run_id", journal.runId());
    GateRunner gates =
        new GateRunner(
            journal, events, templates, connector, vars, autoApprove, secretNames, redactor);
    List<String> paused = new ArrayList<>();
    String reason = "";
    boolean waitingForApproval = false;
    int leftAlone = 0;
    Set<String> done = new HashSet<>();
    plan.hosts().filter(h -> !h.needsWork()).forEach(h -> done.add(h.host().name()));
    List<PlannedHost> previousStage = List.of();
    ExecutorService pool = Executors.newFixedThreadPool(forks, daemon("host-pipeline"));
    int refused = 0;
    ExecutorService deferredPool = Executors.newFixedThreadPool(forks, daemon("deferred-steps"));
    List<Future<HostOutcome>> deferred = new ArrayList<>();
    try {
      stages:
      for (PlannedStage stage : plan.stages()) {
        int stageHosts = stage.batches().stream().mapToInt(b -> b.hosts().size()).sum();
        if (stageHosts == 0) {
          continue; // --limit left the stage no host: its gates guard nothing
        }
        List<PlannedHost> finished =
            previousStage.stream().filter(h -> done.contains(h.host().name())).toList();
        for (PlannedGate g : stage.gatesBefore()) {
          Optional<String> blocked = gates.pass(g, finished);
          if (blocked.isPresent()) {
            reason = blocked.get();
            waitingForApproval = reason.startsWith("waiting for approval");
            events.emit(new Event.RolloutPaused(Instant.now(), stage.stage().name(), 0, reason));
            break stages;
          }
        }
        events.emit(
            new Event.StageStarted(
                Instant.now(), stage.stage().name(), stage.batches().size(), stageHosts));
        for (PlannedBatch batch : stage.batches()) {
          List<PlannedHost> work =
              batch.hosts().stream()
                  .filter(h -> h.needsWork() && selected.test(h.host().name()))
                  .toList();
          events.emit(
              new Event.BatchStarted(
                  Instant.now(),
                  stage.stage().name(),
                  batch.number(),
                  stage.batches().size(),
                  batch.hosts().stream().map(h -> h.host().name()).toList(),
                  work.stream().map(h -> h.host().name()).toList()));
          for (PlannedHost host : batch.hosts()) {
            if (host.needsWork() && !selected.test(host.host().name())) {
              leftAlone++;
            }
          }
          AtomicBoolean stop = new AtomicBoolean(false);
          List<Future<HostOutcome>> futures = new ArrayList<>();
          java.util.concurrent.CompletionService<HostOutcome> finishing =
              new java.util.concurrent.ExecutorCompletionService<>(pool);
          for (PlannedHost host : work) {
            futures.add(
                finishing.submit(
                    () ->
                        pipeline(host, journal, false, stop, stage.stage().anyErrorsFatal())
                            .run()));
          }
          int failed = 0;
          List<PlannedHost> batchDone = new ArrayList<>();
          // In the order hosts finish, so that a bug on one host stops the run at once (rather than
          // once the hosts before it finish); then handled in inventory order.
          HostOutcome[] outcomes = new HostOutcome[futures.size()];
          for (int n = 0; n < futures.size(); n++) {
            Future<HostOutcome> f = take(finishing);
            outcomes[futures.indexOf(f)] = join(f);
          }
          for (int i = 0; i < futures.size(); i++) {
            HostOutcome outcome = outcomes[i];
            if (outcome instanceof HostOutcome.Paused p) {
              failed++;
              paused.add(p.host() + ": paused at step " + p.step());
            } else if (outcome instanceof HostOutcome.Unreachable u) {
              failed++;
              paused.add(u.host() + ": unreachable");
            } else if (outcome instanceof HostOutcome.Refused r) {
              failed++;
              refused++;
              paused.add(r.host() + ": leased by another run");
            } else {
              done.add(outcome.host());
              batchDone.add(work.get(i));
            }
          }
          if (stage.stage().anyErrorsFatal() && failed > 0) {
            reason =
                failed
                    + " host(s) of stage "
                    + stage.stage().name()
                    + " batch "
                    + batch.number()
                    + " failed and the stage has any_errors_fatal";
          } else if (FailureBudget.exceeded(
              failed, batch.hosts().size(), stage.stage().maxFailPercentage())) {
            reason =
                failed
                    + " of "
                    + batch.hosts().size()
                    + " host(s) of stage "
                    + stage.stage().name()
                    + " batch "
                    + batch.number()
                    + " failed, above max_fail_percentage "
                    + stage.stage().maxFailPercentage()
                    + "%";
          }
          if (!reason.isEmpty()) {
            events.emit(
                new Event.RolloutPaused(
                    Instant.now(), stage.stage().name(), batch.number(), reason));
            break stages;
          }
          List<PlannedHost> finishedBatch =
              batch.hosts().stream().filter(h -> done.contains(h.host().name())).toList();
          for (PlannedGate g : batch.gatesAfter()) {
            Optional<String> blocked = gates.pass(g, finishedBatch);
            if (blocked.isPresent()) {
              reason = blocked.get();
              waitingForApproval = reason.startsWith("waiting for approval");
              events.emit(
                  new Event.RolloutPaused(
                      Instant.now(), stage.stage().name(), batch.number(), reason));
              startDeferred(batchDone, deferredPool, deferred, journal);
              break stages;
            }
          }
          startDeferred(batchDone, deferredPool, deferred, journal);
        }
        previousStage = stage.batches().stream().flatMap(b -> b.hosts().stream()).toList();
      }
      for (Future<HostOutcome> f : deferred) {
        HostOutcome outcome = join(f);
        if (outcome instanceof HostOutcome.Paused p) {
          paused.add(p.host() + ": paused at deferred step " + p.step());
        } else if (outcome instanceof HostOutcome.Unreachable u) {
          paused.add(u.host() + ": unreachable (deferred steps)");
        }
      }
    } catch (RuntimeException | Error e) {
      // Before the pools stop: the hosts' connections are still usable to mark their leases.
      stop(internalError(e));
      throw e;
    } finally {
      pool.shutdownNow();
      deferredPool.shutdownNow();
      renewals.shutdownNow();
    }
    RunStatus status;
    if (!reason.isEmpty() || !paused.isEmpty()) {
      status = RunStatus.PAUSED;
      if (reason.isEmpty()) {
        reason = paused.size() + " host(s) paused within the failure budget";
      }
    } else if (leftAlone > 0) {
      status = RunStatus.PAUSED;
      reason =
          "only the failed hosts were retried; "
              + leftAlone
              + " host(s) still wait for the rollout to continue";
    } else {
      status = RunStatus.SUCCEEDED;
    }
    String nextCommand =
        status != RunStatus.PAUSED ? "" : waitingForApproval ? next.approve() : next.resume();
    boolean rolledBack = abortedBy != null && status == RunStatus.SUCCEEDED;
    if (abortedBy != null) {
      // abort --rollback: the run ends aborted whether the rollback completed or not; an
      // incomplete one names its hosts and the command that continues it.
      nextCommand = rolledBack ? "" : next.resume();
      reason =
          status == RunStatus.SUCCEEDED
              ? abortedBy + "; rolled back " + plan.hosts().count() + " host(s)"
              : abortedBy
                  + "; rollback incomplete: "
                  + (paused.isEmpty() ? reason : String.join(", ", paused))
                  + "; fix the cause, then: "
                  + next.resume();
      status = RunStatus.ABORTED;
    }
    synchronized (control) {
      if (stopReason != null) {
        // Stopped meanwhile (a signal): the stop recorded the run as paused, with its reason.
        return new RunResult(journal.runId(), RunStatus.PAUSED, stopReason, paused, refused > 0);
      }
      ended = true;
      journal.status(status, reason);
    }
    events.emit(
        new Event.RunFinished(
            Instant.now(),
            journal.runId(),
            status.name().toLowerCase(java.util.Locale.ROOT),
            reason,
            Duration.between(start, Instant.now()),
            nextCommand));
    return new RunResult(journal.runId(), status, reason, paused, refused > 0, rolledBack);
  }

  private void startDeferred(
      List<PlannedHost> hosts,
      ExecutorService pool,
      List<Future<HostOutcome>> into,
      RunJournal journal) {
    for (PlannedHost host : hosts) {
      if (HostPipeline.hasWork(host, true)) {
        into.add(
            pool.submit(
                () -> pipeline(host, journal, true, new AtomicBoolean(false), false).run()));
      }
    }
  }

  /** A host's pipeline for one phase, with this executor's connector, events and leases. */
  private HostPipeline pipeline(
      PlannedHost host,
      RunJournal journal,
      boolean deferredPhase,
      AtomicBoolean stop,
      boolean stopOthersOnFailure) {
    return new HostPipeline(
        host,
        new PipelineServices(
            connector,
            journal,
            events,
            templates,
            redactor,
            secretNames,
            artifacts,
            artifactKey,
            Optional.ofNullable(leases),
            Sleeper.REAL),
        deferredPhase,
        stop,
        stopOthersOnFailure);
  }

  /**
   * Returns this executor's event sink, which masks the run's secrets, for the run's producers
   * outside the executor (the artifact fetcher); first learns the secrets of {@code plan}: the
   * secret values among its hosts' vars and what its upload steps' artifact templates derive from
   * them.
   *
   * @param plan the plan about to run
   * @return the sink every event of this executor goes through
   */
  public EventSink events(Plan plan) {
    DerivedSecrets derived = new DerivedSecrets(templates, secretNames, redactor);
    plan.hosts()
        .forEach(
            h -> {
              Map<String, Object> vars = new LinkedHashMap<>(h.vars());
              derived.addSecretsOf(vars);
              for (var s : h.steps()) {
                vars.putAll(s.overrides());
                s.step()
                    .traits()
                    .upload()
                    .flatMap(u -> plan.playbook().artifact(u.artifact()))
                    .ifPresent(
                        a -> {
                          derived.learn(a.url(), vars);
                          a.sha256().ifPresent(sum -> derived.learn(sum, vars));
                        });
              }
            });
    return events;
  }

  /** This controller's name in leases: its host name. */
  static String controllerName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static Future<HostOutcome> take(
      java.util.concurrent.CompletionService<HostOutcome> finishing) {
    try {
      return finishing.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for hosts", e);
    }
  }

  private static HostOutcome join(Future<HostOutcome> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for hosts", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
