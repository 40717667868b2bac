package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one host's steps in order over one connection: the loop, and how the host ends. Each step
 * runs through a {@link StepRunner} (its attempts, {@link StepAttempt}), checkpointed by the {@link
 * CheckpointWriter} (RUNNING is durable before the command is sent, the result before the next step
 * starts: the write-ahead rule, README "State store and checkpoints"); a failure past the rollback
 * mark runs the {@link Rollback}; the lease is kept by {@link LeasedHost}. Steps the plan marks
 * done are not run again. Does not decide what runs: the plan does.
 */
final class HostPipeline {
  /**
   * How pipelines take hosts' leases, and whether the run is being stopped.
   *
   * @param keeper takes, renews and pauses the run's leases
   * @param stopping why the whole run is being stopped (a signal, an internal error), or empty
   */
  record Leases(LeaseKeeper keeper, java.util.function.Supplier<Optional<String>> stopping) {}

  private final PlannedHost planned;
  private final PipelineServices services;
  private final boolean deferredPhase;
  private final AtomicBoolean stop;
  private final boolean stopOthersOnFailure;
  private final String host;
  private final EventSink events;
  private final CheckpointWriter checkpoints;
  private final StepContext context;
  private final LeasedHost lease;

  /**
   * Creates a pipeline for one host.
   *
   * @param services what the run's pipelines share
   * @param deferredPhase false: the pipeline's steps; true: only its {@code deferred} steps
   * @param stop shared within a batch: set when the batch must stop ({@code any_errors_fatal})
   * @param stopOthersOnFailure whether a failure here sets {@code stop}
   */
  HostPipeline(
      PlannedHost planned,
      PipelineServices services,
      boolean deferredPhase,
      AtomicBoolean stop,
      boolean stopOthersOnFailure) {
    this.planned = planned;
    this.services = services;
    this.deferredPhase = deferredPhase;
    this.stop = stop;
    this.stopOthersOnFailure = stopOthersOnFailure;
    this.host = planned.host().name();
    this.events = services.events();
    this.checkpoints = CheckpointWriter.of(services.journal(), planned);
    DerivedSecrets secrets =
        new DerivedSecrets(services.templates(), services.secretNames(), services.redactor());
    secrets.addSecretsOf(planned.vars());
    this.context =
        new StepContext(
            host,
            services.journal(),
            checkpoints,
            events,
            services.templates(),
            secrets,
            services.artifacts(),
            services.artifactKey(),
            services.sleeper(),
            services.verbosity());
    this.lease = new LeasedHost(services.leases(), planned, events);
  }

  /** Returns whether this phase has any step to visit on the host. */
  static boolean hasWork(PlannedHost planned, boolean deferredPhase) {
    if (!deferredPhase && planned.rollbackUnderWay()) {
      return true;
    }
    return planned.steps().stream()
        .anyMatch(s -> s.prediction().needsWork() && s.step().traits().deferred() == deferredPhase);
  }

  /**
   * Runs the host's steps of this phase: connects, takes the lease, runs the steps, and records how
   * the host ended.
   */
  HostOutcome run() {
    HostOutcome outcome = runSteps();
    services.once().ended(host, outcome.message()); // after its checkpoints: OnceSteps
    return outcome;
  }

  private HostOutcome runSteps() {
    if (!hasWork(planned, deferredPhase)) {
      return new HostOutcome.Done(host);
    }
    Connection connection;
    try {
      connection = services.connector().open(host, Endpoints.of(planned.host().connection()));
    } catch (TransportException e) {
      return unreachable(e.getMessage());
    }
    try (connection) {
      Optional<HostOutcome> refused;
      try {
        refused = lease.take(connection);
      } catch (TransportException e) {
        return unreachable(e.getMessage());
      }
      if (refused.isPresent()) {
        return refused.get();
      }
      return lease.keepWhile(
          () -> ended(steps(connection)), deferredPhase || !hasWork(planned, true));
    }
  }

  /**
   * The steps in order, or the rest of a rollback under way; the first that stops the host ends.
   */
  private HostOutcome steps(Connection connection) {
    Map<String, Object> vars = new LinkedHashMap<>(planned.vars());
    RunHostVars.install(vars, planned, services.journal(), services.facts());
    if (services.facts().gather()) {
      try {
        Map<String, Object> facts = FactGatherer.gather(connection);
        services.facts().record(host, facts);
        // a variable the inventory, the playbook or -e sets wins over a gathered fact
        dev.orchestrator.template.Facts.vars(facts).forEach(vars::putIfAbsent);
      } catch (TransportException e) {
        return new HostOutcome.Unreachable(host, e.getMessage());
      }
    }
    StepRunner runner =
        new StepRunner(
            context,
            connection,
            Optional.of(services.delegation()),
            Optional.of(new OnceSteps(services.once())));
    Rollback rollback = new Rollback(planned, context, runner, lease::halted);
    LoopSteps loops = new LoopSteps(context);
    BlockRuns blocks = new BlockRuns(new HandlerRuns(planned, runner, context, loops), context);
    if (!deferredPhase && planned.rollbackUnderWay()) {
      return rollback.finish(vars);
    }
    for (PlannedStep ps : planned.steps()) {
      vars.putAll(ps.overrides());
      if (!ps.prediction().needsWork() || ps.step().traits().deferred() != deferredPhase) {
        loops.notRun(ps, vars);
        continue;
      }
      Optional<String> why = lease.halted();
      if (why.isEmpty() && stop.get()) {
        why = Optional.of("another host of the batch failed (any_errors_fatal)");
      }
      if (why.isPresent()) {
        return new HostOutcome.Paused(
            host, ps.step().id(), "stopped before step " + ps.step().id() + ": " + why.get());
      }
      StepResult result = blocks.run(ps, vars);
      if (result.goesOn()) {
        continue;
      }
      HostOutcome end;
      if (result instanceof StepResult.Lost lost) {
        end = new HostOutcome.Unreachable(host, lost.message());
      } else {
        HostOutcome.Paused paused = new HostOutcome.Paused(host, ps.step().id(), message(result));
        end =
            rollback.follows(ps, deferredPhase)
                ? rollback.after(ps, ps.previousAttempts() + 1, paused, vars)
                : paused;
      }
      if (stopOthersOnFailure) {
        stop.set(true);
      }
      return end;
    }
    cleanUp(connection);
    return new HostOutcome.Done(host);
  }

  /** Why a step stopped the host, as its pause says. */
  private static String message(StepResult result) {
    if (result instanceof StepResult.Failed f) {
      return f.message();
    }
    if (result instanceof StepResult.InDoubt d) {
      return d.message();
    }
    throw new IllegalArgumentException("not a pause: " + result);
  }

  /**
   * Removes the host's records of detached commands once the host is done in this run. A failure
   * leaves them for the next run of the host to clean; the run itself is done.
   */
  private void cleanUp(Connection connection) {
    boolean usesRecords = planned.steps().stream().anyMatch(p -> p.step().traits().detached());
    if (usesRecords && (deferredPhase || !hasWork(planned, true))) {
      try {
        connection.exec(
            CommandBuilder.cleanup(services.journal().runId(), host),
            Optional.of(Duration.ofSeconds(60)));
      } catch (TransportException e) {
        // The records stay until the next run of this host cleans them.
      }
    }
  }

  /** Records and reports how the host's steps ended; the outcome's message is masked too. */
  private HostOutcome ended(HostOutcome steps) {
    HostOutcome outcome = masked(steps);
    if (outcome instanceof HostOutcome.Done) {
      // Supersedes an earlier record (unreachable, rolled back): status shows where the host
      // stands.
      checkpoints.done();
    } else if (outcome instanceof HostOutcome.Unreachable u) {
      checkpoints.unreachable(u.message());
    }
    events.emit(outcome.finished(Instant.now()));
    return outcome;
  }

  /** The outcome with the run's secrets masked in its message (it reaches the run's status). */
  private HostOutcome masked(HostOutcome outcome) {
    if (outcome instanceof HostOutcome.Paused p) {
      return new HostOutcome.Paused(host, p.step(), services.redactor().redact(p.message()));
    }
    if (outcome instanceof HostOutcome.Unreachable u) {
      return new HostOutcome.Unreachable(host, services.redactor().redact(u.message()));
    }
    return outcome;
  }

  private HostOutcome unreachable(String message) {
    HostOutcome outcome = new HostOutcome.Unreachable(host, message);
    checkpoints.unreachable(message);
    events.emit(outcome.finished(Instant.now()));
    return outcome;
  }
}
