package dev.orchestrator.execute;

import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedBatch;
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
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Walks a {@link Plan}: stages in order, batches in order, and within a batch up to {@code forks}
 * hosts at once, each running its own {@link HostPipeline} (no lock-step across hosts). After each
 * batch the failure budget ({@code max_fail_percentage}) decides whether the rollout goes on; when
 * it is exceeded the run pauses before the next batch or stage. Hosts already done are not
 * contacted. Reports through events only.
 */
public final class RunExecutor {
  private final Connector connector;
  private final EventSink events;
  private final TemplateEngine templates;
  private final int forks;

  /**
   * Creates an executor.
   *
   * @param connector opens connections to hosts
   * @param events receives the events
   * @param templates renders step templates
   * @param forks the most hosts worked on at once, at least 1
   */
  public RunExecutor(Connector connector, EventSink events, TemplateEngine templates, int forks) {
    if (forks < 1) {
      throw new IllegalArgumentException("forks must be at least 1");
    }
    this.connector = connector;
    this.events = events;
    this.templates = templates;
    this.forks = forks;
  }

  /**
   * Executes the plan, recording into {@code journal}, and sets the run's final status there.
   *
   * @param plan the plan
   * @param journal the run's journal
   * @param resumed whether this continues an earlier invocation (for the events)
   * @param selected which hosts may be worked on (others are left as they are)
   * @param nextCommand the command that continues the run, shown when it pauses
   * @return the outcome
   */
  public RunResult execute(
      Plan plan,
      RunJournal journal,
      boolean resumed,
      Predicate<String> selected,
      String nextCommand) {
    Instant start = Instant.now();
    journal.status(RunStatus.RUNNING, "");
    events.emit(
        new Event.RunStarted(
            start, journal.runId(), plan.playbook().name(), resumed, (int) plan.hosts().count()));
    List<String> paused = new ArrayList<>();
    String reason = "";
    int leftAlone = 0;
    ExecutorService pool =
        Executors.newFixedThreadPool(
            forks,
            r -> {
              Thread t = new Thread(r, "host-pipeline");
              t.setDaemon(true);
              return t;
            });
    try {
      stages:
      for (PlannedStage stage : plan.stages()) {
        int stageHosts = stage.batches().stream().mapToInt(b -> b.hosts().size()).sum();
        if (stageHosts == 0) {
          continue;
        }
        events.emit(
            new Event.StageStarted(
                Instant.now(), stage.stage().name(), stage.batches().size(), stageHosts));
        for (PlannedBatch batch : stage.batches()) {
          List<PlannedHost> work =
              batch.hosts().stream()
                  .filter(h -> h.needsWork() && selected.test(h.host().name()))
                  .toList();
          List<String> names = batch.hosts().stream().map(h -> h.host().name()).toList();
          events.emit(
              new Event.BatchStarted(
                  Instant.now(),
                  stage.stage().name(),
                  batch.number(),
                  stage.batches().size(),
                  names,
                  work.stream().map(h -> h.host().name()).toList()));
          List<Future<HostOutcome>> futures = new ArrayList<>();
          for (PlannedHost host : work) {
            futures.add(
                pool.submit(
                    () -> new HostPipeline(host, connector, journal, events, templates).run()));
          }
          int failed = 0;
          for (PlannedHost host : batch.hosts()) {
            if (host.needsWork() && !selected.test(host.host().name())) {
              leftAlone++;
            }
          }
          for (Future<HostOutcome> f : futures) {
            HostOutcome outcome = join(f);
            if (outcome instanceof HostOutcome.Paused p) {
              failed++;
              paused.add(p.host() + ": paused at step " + p.step());
            } else if (outcome instanceof HostOutcome.Unreachable u) {
              failed++;
              paused.add(u.host() + ": unreachable");
            }
          }
          if (FailureBudget.exceeded(
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
            events.emit(
                new Event.RolloutPaused(
                    Instant.now(), stage.stage().name(), batch.number(), reason));
            break stages;
          }
        }
      }
    } finally {
      pool.shutdownNow();
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
    journal.status(status, reason);
    events.emit(
        new Event.RunFinished(
            Instant.now(),
            journal.runId(),
            status.name().toLowerCase(java.util.Locale.ROOT),
            reason,
            Duration.between(start, Instant.now()),
            status == RunStatus.PAUSED ? nextCommand : ""));
    return new RunResult(journal.runId(), status, reason, paused);
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
