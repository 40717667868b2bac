package dev.orchestrator.execute;

import dev.orchestrator.common.Redactor;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.report.RedactingEventSink;
import dev.orchestrator.state.RedactingJournal;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker's share of one run (issue 15, {@code orchestrator worker}): runs the pipelines of hosts
 * it claimed in the run's work queue, exactly as the run's coordinator runs its own (same
 * checkpoints, write-ahead rule, host leases and in-doubt rules), and returns each outcome as the
 * work queue keeps it. Walks no rollout and decides nothing: the coordinator does. Every record and
 * event is masked with the run's secrets. Thread-safe: one instance serves the run's claims of one
 * worker at once.
 */
public final class HostWork implements AutoCloseable {
  private final RunJournal journal;
  private final ScheduledExecutorService renewals =
      Executors.newSingleThreadScheduledExecutor(Pools.daemon("lease-renewal"));
  private final LeaseKeeper leases;
  private final PipelineFactory pipelines;
  private volatile String stopReason;

  /**
   * Prepares the run's pipelines on this worker.
   *
   * @param connector opens connections to hosts
   * @param events receives the events (the run's recorded stream)
   * @param templates renders the steps
   * @param settings leases, secret names (forks and approvals are the coordinator's)
   * @param stored the run's journal
   * @param plan the run's plan, for the secrets its artifacts derive from
   * @param artifacts fetches, on this worker, the artifacts of the plan's upload steps, reporting
   *     through the sink it is given: the run's events masked with its secrets, so that an artifact
   *     URL built from a secret is masked as it is in {@code run} ({@link RunExecutor#events};
   *     issue 22: the worker's fetch reported through an unmasked sink)
   */
  public HostWork(
      Connector connector,
      EventSink events,
      TemplateEngine templates,
      EngineSettings settings,
      RunJournal stored,
      Plan plan,
      java.util.function.Function<EventSink, RunArtifacts> artifacts) {
    Redactor redactor = new Redactor();
    new DerivedSecrets(templates, settings.secretNames(), redactor).learnArtifactsOf(plan);
    EventSink masked = RedactingEventSink.around(Objects.requireNonNull(events), redactor);
    RunArtifacts fetched = artifacts.apply(masked);
    this.journal = RedactingJournal.around(stored, redactor);
    this.leases = LeaseKeeper.forRun(journal, settings, renewals, masked);
    this.pipelines =
        PipelineFactory.of(
            new PipelineServices(
                    connector,
                    journal,
                    masked,
                    templates,
                    redactor,
                    settings.secretNames(),
                    fetched.fetched(),
                    fetched.keyOf(),
                    Optional.of(
                        new HostPipeline.Leases(leases, () -> Optional.ofNullable(stopReason))),
                    Sleeper.REAL,
                    GatheredFacts.of(plan))
                .verbose(settings.verbosity()));
  }

  /**
   * Runs a claimed host's pipeline (its steps outside {@code deferred}: the coordinator runs
   * those).
   *
   * @param host the host, planned against the run's current checkpoints
   * @param stop set when the claim was lost: the host stops before its next step
   * @return the outcome, as {@link dev.orchestrator.state.WorkQueue#complete} keeps it
   * @throws RuntimeException the pipeline's own (a bug)
   */
  public String run(PlannedHost host, AtomicBoolean stop) {
    return HostOutcomeJson.write(pipelines.create(host, false, stop, false).run());
  }

  /**
   * Stops this worker's pipelines before their next step (a signal) and marks the leases they hold
   * paused; steps under way are handled as after a crash by whoever claims the hosts next.
   */
  public void stop(String reason) {
    stopReason = Objects.requireNonNull(reason);
    leases.pauseAll(reason);
  }

  /** Stops the lease renewals and closes the delegates' connections. */
  @Override
  public void close() {
    pipelines.close();
    renewals.shutdownNow();
  }
}
