package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.Handlers;
import dev.orchestrator.playbook.Step;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a host's steps through its {@link StepRunner}, deciding at each handler run whether it was
 * notified (README "Handlers"). The plan already decided from the checkpoints: a handler run
 * planned {@link Prediction#RUN} was notified by a step that changed the host before this run
 * started. One planned {@link Prediction#DECIDED_AT_RUN_TIME} ("if notified") or {@link
 * Prediction#SKIP} runs when a step of this run between the handler's previous run and this one
 * notifies it and changed the host; otherwise its skip is recorded, as any skip, so that {@code
 * status} shows it. Whether a step changed is recorded in its checkpoint before the next step
 * starts ({@link CheckpointWriter#succeeded}), so a notification is as durable as the step's
 * result.
 */
final class HandlerRuns {

  private final List<PlannedStep> steps;
  private final StepRunner runner;
  private final StepContext context;
  private final LoopSteps loops;
  private final Set<String> changed = new HashSet<>();

  HandlerRuns(PlannedHost planned, StepRunner runner, StepContext context) {
    this(planned, runner, context, new LoopSteps(context));
  }

  /** Runs each step through {@code loops} (a looped step, item by item) and {@code runner}. */
  HandlerRuns(PlannedHost planned, StepRunner runner, StepContext context, LoopSteps loops) {
    this.steps = planned.steps();
    this.runner = runner;
    this.context = context;
    this.loops = loops;
  }

  /** Runs one planned step of the host, or records the skip of a handler run not notified. */
  StepResult run(PlannedStep ps, Map<String, Object> vars) {
    Step step = ps.step();
    if (step.extras().handler()
        && (ps.prediction() == Prediction.DECIDED_AT_RUN_TIME || ps.prediction() == Prediction.SKIP)
        && !notifiedInThisRun(ps)) {
      String reason = ps.prediction() == Prediction.SKIP ? ps.reason() : Handlers.NOT_NOTIFIED;
      return context.skipped(step, ps.previousAttempts() + 1, Instant.now(), reason, vars);
    }
    StepResult result = loops.run(ps, vars, runner);
    if (result instanceof StepResult.Succeeded s && s.changed()) {
      changed.add(step.id());
    }
    return result;
  }

  /**
   * Whether a step or handler run of this run, after the handler's previous run, notified it and
   * changed the host.
   */
  private boolean notifiedInThisRun(PlannedStep ps) {
    int index = steps.indexOf(ps);
    Step handler = ps.step();
    for (int q = index - 1; q >= 0; q--) {
      Step s = steps.get(q).step();
      if (s.extras().handler() && s.name().equals(handler.name())) {
        return false;
      }
      if (changed.contains(s.id()) && Handlers.notifies(s, handler)) {
        return true;
      }
    }
    return false;
  }
}
