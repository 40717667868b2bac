package dev.orchestrator.execute;

import dev.orchestrator.plan.Plan;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.rollout.PauseReason;
import dev.orchestrator.rollout.Rollout;
import dev.orchestrator.rollout.RunEnding;
import dev.orchestrator.rollout.RunMode;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Walks a {@link Plan}: for each stage its gates, then its batches in order; within a batch up to
 * {@code forks} hosts at once, each running its own {@link HostPipeline} ({@link BatchRunner}).
 * After each batch and gate, {@link Rollout} decides whether the rollout goes on; otherwise the run
 * pauses before the next batch or stage. Deferred steps start once their batch has passed, without
 * holding the rollout, and are awaited at the end ({@link DeferredSteps}). Hosts already done, and
 * hosts the plan holds back ({@code --retry-failed}), are not contacted. {@link Rollout#ending}
 * decides how the run ends. Reports through events only; decides nothing the plan does not say. One
 * executor executes one plan once.
 */
public final class RunExecutor {
  /**
   * The commands shown to continue a paused run.
   *
   * @param resume continues after failures or a failed gate
   * @param approve approves a waiting approval gate
   */
  public record NextCommands(String resume, String approve) {
    /** Validates the fields. */
    public NextCommands {
      Objects.requireNonNull(resume, "resume");
      Objects.requireNonNull(approve, "approve");
    }

    /** The same command for both kinds of pause. */
    public static NextCommands same(String command) {
      return new NextCommands(command, command);
    }
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

  private final Connector connector;
  private final EventSink events;
  private final TemplateEngine templates;
  private final EngineSettings settings;
  private final RunControl control;
  private final Optional<SharedExecution> shared;
  // Real time enters the executor here only: gates and pipelines are given these.
  private final java.time.Clock clock = java.time.Clock.systemUTC();
  private final Sleeper sleeper = Sleeper.REAL;

  /** The run's secret values: every event and every record of the run is masked with them. */
  private final dev.orchestrator.common.Redactor redactor = new dev.orchestrator.common.Redactor();

  /**
   * Creates an executor.
   *
   * @param connector opens connections to hosts
   * @param events receives the events
   * @param templates renders step templates
   * @param settings forks, approvals, leases, secret names and next commands
   */
  public RunExecutor(
      Connector connector, EventSink events, TemplateEngine templates, EngineSettings settings) {
    this(connector, events, templates, settings, Optional.empty());
  }

  /**
   * Creates an executor whose batches are shared with the run's other controllers, when {@code
   * shared} is given ({@link SharedBatchRunner}).
   */
  public RunExecutor(
      Connector connector,
      EventSink events,
      TemplateEngine templates,
      EngineSettings settings,
      Optional<SharedExecution> shared) {
    this.shared = Objects.requireNonNull(shared, "shared");
    this.connector = Objects.requireNonNull(connector, "connector");
    this.events =
        new dev.orchestrator.report.RedactingEventSink(
            Objects.requireNonNull(events, "events"), redactor);
    this.templates = Objects.requireNonNull(templates, "templates");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.control = new RunControl(this.events, settings.next().resume());
  }

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
    return control.stop(reason);
  }

  /** Executes the rollout forward, without run vars or artifacts. */
  public RunResult execute(Plan plan, RunJournal journal, boolean resumed) {
    return execute(plan, journal, resumed, RunMode.FORWARD, Map.of(), RunArtifacts.NONE);
  }

  /**
   * Executes the plan, recording into {@code journal}, and sets the run's final status there.
   *
   * @param plan the plan (its held-back hosts are left as they are)
   * @param stored the run's journal (every record masked with the run's secrets)
   * @param resumed whether this continues an earlier invocation (for the events)
   * @param mode forward, or the rollback of {@code abort --rollback} (then the run ends {@link
   *     RunStatus#ABORTED}, rolled back or not: {@link RunResult#rolledBack()})
   * @param runVars playbook and extra vars, for templates outside hosts (e.g. a wait gate's time)
   * @param artifacts the artifacts fetched for the plan's upload steps
   * @return the outcome
   * @throws RuntimeException a bug: the run is recorded paused with an internal error first
   */
  public RunResult execute(
      Plan plan,
      RunJournal stored,
      boolean resumed,
      RunMode mode,
      Map<String, Object> runVars,
      RunArtifacts artifacts) {
    // Every record of this execution is masked, whoever writes it (pipelines, gates, leases).
    RunJournal journal = dev.orchestrator.state.RedactingJournal.around(stored, redactor);
    Instant start = clock.instant();
    ScheduledExecutorService renewals = Pools.scheduled("lease-renewal");
    LeaseKeeper leaseKeeper = LeaseKeeper.forRun(journal, settings, renewals, events);
    if (!control.start(journal, leaseKeeper, start)) {
      renewals.shutdownNow();
      return new RunResult(
          journal.runId(), RunStatus.PAUSED, control.stopReason().orElseThrow(), List.of(), false);
    }
    HostPipeline.Leases leases = new HostPipeline.Leases(leaseKeeper, control::stopReason);
    PipelineFactory pipelines =
        PipelineFactory.of(
            new PipelineServices(
                    connector,
                    journal,
                    events,
                    templates,
                    redactor,
                    settings.secretNames(),
                    artifacts.fetched(),
                    artifacts.keyOf(),
                    Optional.of(leases),
                    sleeper,
                    GatheredFacts.of(plan))
                .verbose(settings.verbosity()));
    try {
      return executeStarted(plan, journal, resumed, mode, runVars, start, renewals, pipelines);
    } catch (RuntimeException | Error e) {
      control.stop(RunControl.stopReason(e));
      throw e;
    }
  }

  private RunResult executeStarted(
      Plan plan,
      RunJournal journal,
      boolean resumed,
      RunMode mode,
      Map<String, Object> runVars,
      Instant start,
      ScheduledExecutorService renewals,
      PipelineFactory pipelines) {
    events.emit(
        new Event.RunStarted(
            start,
            journal.runId(),
            plan.playbook().name(),
            resumed,
            plan.hostOrder().size(),
            plan.hostOrder(),
            mode instanceof RunMode.Rollback));
    Map<String, Object> vars = plan.playbook().varsBelowInventory();
    vars.putAll(plan.playbook().varsAboveInventory(runVars));
    vars.putAll(runVars);
    vars.put("run_id", journal.runId());
    GateRunner gates =
        new GateRunner(
            journal,
            events,
            templates,
            connector,
            vars,
            settings.approvals(),
            settings.secretNames(),
            redactor,
            clock,
            sleeper);
    RunProgress progress = new RunProgress(plan.hosts());
    Batches batches =
        shared.isPresent()
            ? new SharedBatchRunner(shared.get(), settings.forks(), pipelines)
            : new BatchRunner(settings.forks(), pipelines);
    DeferredSteps deferred = new DeferredSteps(settings.forks(), pipelines);
    Optional<PauseReason> pause;
    try {
      pause = new RolloutWalk(events, gates, batches, deferred, progress).walk(plan);
      deferred.await().forEach(progress::deferred);
    } catch (RuntimeException | Error e) {
      // Before the pools stop: the hosts' connections are still usable to mark their leases.
      control.stop(RunControl.stopReason(e));
      throw e;
    } finally {
      batches.shutdown();
      deferred.shutdown();
      pipelines.close();
      renewals.shutdownNow();
    }
    RunEnding ending =
        Rollout.ending(
            mode,
            pause,
            progress.paused(),
            progress.heldBack(),
            plan.hostOrder().size(),
            settings.next().resume());
    return finish(journal, ending, progress, start);
  }

  /** Records the run's ending (unless a stop came first) and says it with a RunFinished event. */
  private RunResult finish(
      RunJournal journal, RunEnding ending, RunProgress progress, Instant start) {
    RunStatus status =
        ending instanceof RunEnding.Succeeded
            ? RunStatus.SUCCEEDED
            : ending instanceof RunEnding.Paused ? RunStatus.PAUSED : RunStatus.ABORTED;
    String reason = ending.message();
    if (!control.end(status, reason)) {
      // Stopped meanwhile (a signal): the stop recorded the run as paused, with its reason.
      return new RunResult(
          journal.runId(),
          RunStatus.PAUSED,
          control.stopReason().orElseThrow(),
          progress.paused(),
          progress.refused());
    }
    String nextCommand =
        switch (ending.next()) {
          case NONE -> "";
          case RESUME -> settings.next().resume();
          case APPROVE -> settings.next().approve();
        };
    events.emit(
        new Event.RunFinished(
            clock.instant(),
            journal.runId(),
            status,
            reason,
            Duration.between(start, clock.instant()),
            nextCommand));
    return new RunResult(
        journal.runId(),
        status,
        reason,
        progress.paused(),
        progress.refused(),
        ending instanceof RunEnding.RolledBack);
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
    new DerivedSecrets(templates, settings.secretNames(), redactor).learnArtifactsOf(plan);
    return events;
  }
}
