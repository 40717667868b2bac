package dev.orchestrator.execute;

import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedBatch;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStage;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.EventSink;
import dev.orchestrator.rollout.Decision;
import dev.orchestrator.rollout.PauseReason;
import dev.orchestrator.rollout.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rollout of one execution, stage by stage: a stage's gates, then its batches in order (the
 * hosts the plan works on, in parallel: {@link BatchRunner}), each followed by its gates and the
 * start of its deferred steps. A host that stopped in a stage (paused, unreachable) does not work
 * in the later stages of this execution: the plays of an Ansible playbook leave a failed host out
 * (ansible-core {@code executor/playbook_executor.py}). After each batch and gate {@link Rollout}
 * decides whether it goes on; the first pause ends the walk, said by a {@link Event.RolloutPaused}.
 */
final class RolloutWalk {
  private final EventSink events;
  private final GateRunner gates;
  private final Batches batches;
  private final DeferredSteps deferred;
  private final RunProgress progress;

  RolloutWalk(
      EventSink events,
      GateRunner gates,
      Batches batches,
      DeferredSteps deferred,
      RunProgress progress) {
    this.events = events;
    this.gates = gates;
    this.batches = batches;
    this.deferred = deferred;
    this.progress = progress;
  }

  /** Walks the stages, gates and batches until the end or the first pause. */
  Optional<PauseReason> walk(Plan plan) {
    List<PlannedHost> previousStage = List.of();
    for (PlannedStage stage : plan.stages()) {
      String name = stage.stage().name();
      int stageHosts = stage.batches().stream().mapToInt(b -> b.hosts().size()).sum();
      if (stageHosts == 0) {
        continue; // --limit left the stage no host: its gates guard nothing
      }
      Optional<PauseReason> blocked =
          pass(stage.gatesBefore(), progress.done(previousStage), name, 0);
      if (blocked.isPresent()) {
        return blocked;
      }
      events.emit(new Event.StageStarted(Instant.now(), name, stage.batches().size(), stageHosts));
      for (PlannedBatch batch : stage.batches()) {
        // a host that stopped in an earlier play (Ansible's failed host) is left out of this one
        List<PlannedHost> work =
            batch.hosts().stream()
                .filter(plan::worksOn)
                .filter(h -> !progress.stopped(h.host().name()))
                .toList();
        events.emit(
            new Event.BatchStarted(
                Instant.now(),
                name,
                batch.number(),
                stage.batches().size(),
                batch.hosts().stream().map(h -> h.host().name()).toList(),
                work.stream().map(h -> h.host().name()).toList()));
        // the facts of the hosts with nothing left to run, for hostvars: DoneHostFacts
        batches.idle(
            batch.hosts().stream()
                .filter(h -> !plan.worksOn(h) && !plan.heldBack(h))
                .filter(h -> !progress.stopped(h.host().name()))
                .toList());
        progress.heldBack((int) batch.hosts().stream().filter(plan::heldBack).count());
        batch.hosts().stream().filter(plan::heldBack).forEach(h -> progress.stop(h.host().name()));
        var outcome =
            progress.batch(name, batch, work, batches.run(work, stage.stage().anyErrorsFatal()));
        if (Rollout.afterBatch(stage.stage(), outcome) instanceof Decision.Pause p) {
          events.emit(
              new Event.RolloutPaused(Instant.now(), name, batch.number(), p.reason().message()));
          return Optional.of(p.reason());
        }
        blocked = pass(batch.gatesAfter(), progress.done(batch.hosts()), name, batch.number());
        deferred.start(progress.done(work));
        if (blocked.isPresent()) {
          return blocked;
        }
      }
      previousStage = stage.batches().stream().flatMap(b -> b.hosts().stream()).toList();
    }
    return Optional.empty();
  }

  /** Passes gates in order; the first that does not pass pauses the rollout, said by an event. */
  private Optional<PauseReason> pass(
      List<PlannedGate> toPass, List<PlannedHost> finished, String stage, int batch) {
    for (PlannedGate g : toPass) {
      if (Rollout.afterGate(gates.pass(g, finished)) instanceof Decision.Pause p) {
        events.emit(new Event.RolloutPaused(Instant.now(), stage, batch, p.reason().message()));
        return Optional.of(p.reason());
      }
    }
    return Optional.empty();
  }
}
