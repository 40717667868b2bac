package dev.orchestrator.execute;

import dev.orchestrator.plan.BlockStates;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.BlockFrame;
import dev.orchestrator.playbook.Step;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a host's steps through its {@link HandlerRuns}, moving the host between the sections of its
 * {@code block:}s as ansible-core's {@code PlayIterator} does (README "Blocks"; {@link
 * BlockStates}): a failure a {@code rescue:} takes over ({@link StepResult.Rescue}, already
 * recorded by {@link RescuedFailure}) lets the host go on, and the steps that failure leaves out
 * are recorded skipped; a {@code rescue:} step runs with {@code ansible_failed_task} and {@code
 * ansible_failed_result}. What earlier runs decided comes from the plan, which derived it from the
 * checkpoints; this run's failures are added as they are recorded, as {@link HandlerRuns} keeps the
 * notifications of its own run. Does not decide anything the checkpoints do not say.
 */
final class BlockRuns {
  private final HandlerRuns handlers;
  private final StepContext context;
  private final BlockStates states = new BlockStates();

  BlockRuns(HandlerRuns handlers, StepContext context) {
    this.handlers = handlers;
    this.context = context;
  }

  /**
   * Runs one planned step of the host, or records its skip when its block's state leaves it out.
   */
  StepResult run(PlannedStep ps, Map<String, Object> vars) {
    Step step = ps.step();
    if (dev.orchestrator.plan.StartAtTask.skipped(ps)) {
      return context.skipped(step, ps.previousAttempts() + 1, Instant.now(), ps.reason(), vars);
    }
    if (step.extras().blocks().isEmpty()) {
      return handlers.run(ps, vars);
    }
    Optional<String> notRun = states.notRun(step);
    if (notRun.isEmpty()
        && ps.prediction() == Prediction.SKIP
        && ps.reason().startsWith(BlockStates.NOT_RUN)
        && ps.reason().contains(" failed at ")) {
      notRun = Optional.of(ps.reason()); // decided by the plan from the checkpoints
    }
    if (notRun.isEmpty()
        && (BlockStates.IF_BLOCK_FAILS.equals(ps.reason())
            || ps.reason().startsWith(BlockStates.NOT_RUN))) {
      for (BlockFrame f : step.extras().blocks()) {
        if (f.section() == BlockFrame.Section.RESCUE && !states.failed(f, step.id())) {
          notRun = Optional.of(BlockStates.NOT_RUN + f.label() + " did not fail");
          break;
        }
      }
    }
    if (notRun.isPresent()) {
      return context.skipped(step, ps.previousAttempts() + 1, Instant.now(), notRun.get(), vars);
    }
    vars.putAll(states.failedVars(step));
    StepResult result = handlers.run(ps, vars);
    if (result instanceof StepResult.Failed failed && failed.rescue().isPresent()) {
      StepResult.Rescue rescue = failed.rescue().get();
      states.rescued(rescue.stepId(), step, rescue.result());
      return new StepResult.Skipped(failed.message());
    }
    return result;
  }
}
