package dev.orchestrator.plan;

import dev.orchestrator.playbook.BlockFrame;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.RunState;
import dev.orchestrator.template.RegisteredResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans the steps of {@code block:}s (README "Blocks"): from the run's checkpoints ({@link
 * BlockStates}), a step that a block's failure leaves out is {@link Prediction#SKIP}; a {@code
 * rescue:} step of a block that has not failed is {@link Prediction#DECIDED_AT_RUN_TIME} ("if the
 * block fails"), or a skip once the block's {@code block:} steps are all done; a {@code rescue:}
 * step of a block that failed runs, with {@code ansible_failed_task} and {@code
 * ansible_failed_result} of the failure; an {@code always:} step runs.
 */
final class BlockPlanning {
  private BlockPlanning() {}

  /**
   * Gives the {@code rescue:} steps {@code ansible_failed_task} and {@code ansible_failed_result}
   * known at run time only, so that their templates are checked against the shape and decided at
   * run time.
   */
  static List<Hops.Instance> placeholders(List<Hops.Instance> instances) {
    if (instances.stream().noneMatch(i -> inRescue(i.step()))) {
      return instances;
    }
    Map<String, Object> task = new LinkedHashMap<>();
    for (String field : List.of("name", "id", "action")) {
      task.put(field, RegisteredResult.unknownValue(BlockStates.FAILED_TASK + "." + field));
    }
    Map<String, Object> shape =
        RegisteredResult.unknown(BlockStates.FAILED_RESULT, Map.of("msg", String.class));
    List<Hops.Instance> out = new ArrayList<>();
    for (Hops.Instance i : instances) {
      if (inRescue(i.step())) {
        Map<String, Object> overrides = new LinkedHashMap<>(i.overrides());
        overrides.put(BlockStates.FAILED_TASK, task);
        overrides.put(BlockStates.FAILED_RESULT, shape);
        out.add(new Hops.Instance(i.step(), overrides));
      } else {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Returns the host's plan with its blocks' steps decided as the class says. With {@code plan
   * --check} probes ({@code probed}), the plan believes its own predictions: a {@code block:} step
   * predicted to fail ({@link Prediction#PAUSE}) is taken over by its rescue, so the steps the
   * pause would not have reached are planned again (as {@link Prediction#RUN}: what their own
   * conditions say is not known any more), and the rescue of a block none of whose steps is
   * predicted to fail is a skip.
   */
  static PlannedHost apply(PlannedHost planned, Optional<RunState> state, boolean probed) {
    if (planned.steps().stream().allMatch(p -> p.step().extras().blocks().isEmpty())) {
      return planned;
    }
    BlockStates states =
        BlockStates.of(
            planned.steps().stream().map(PlannedStep::step).toList(),
            state.map(s -> s.checkpoints(planned.host().name())).orElse(List.of()));
    List<PlannedStep> out = new ArrayList<>();
    Optional<String> rescuedPause = Optional.empty();
    for (PlannedStep ps : planned.steps()) {
      if (rescuedPause.isPresent()
          && ps.prediction() == Prediction.NOT_REACHED
          && ps.reason().endsWith(rescuedPause.get())) {
        ps = with(ps, Prediction.RUN, "");
      }
      PlannedStep p = one(ps, planned.steps(), states, probed);
      if (probed && p.prediction() == Prediction.PAUSE && p.step().extras().rescuer().isPresent()) {
        states.rescued(p.step().id(), p.step(), Map.of("failed", true, "msg", p.reason()));
        rescuedPause = Optional.of(p.step().id());
        p =
            with(
                p,
                Prediction.PAUSE,
                p.reason() + "; " + p.step().extras().rescuer().get().label() + "'s rescue runs");
      }
      out.add(p);
    }
    return new PlannedHost(
        planned.host(), planned.vars(), out, planned.rollbackOnFailure(), planned.rollbackAfter());
  }

  private static PlannedStep one(
      PlannedStep ps, List<PlannedStep> all, BlockStates states, boolean probed) {
    Step step = ps.step();
    if (step.extras().blocks().isEmpty() || !ps.prediction().needsWork()) {
      return ps;
    }
    Optional<String> notRun = states.notRun(step);
    if (notRun.isPresent()) {
      return with(ps, Prediction.SKIP, notRun.get());
    }
    Map<String, Object> failedVars = states.failedVars(step);
    if (!failedVars.isEmpty()) {
      Map<String, Object> overrides = new LinkedHashMap<>(ps.overrides());
      overrides.putAll(failedVars);
      return ps.withOverrides(overrides);
    }
    for (BlockFrame f : step.extras().blocks()) {
      if (f.section() == BlockFrame.Section.RESCUE && !states.failed(f, step.id())) {
        boolean blockDone =
            all.stream()
                .filter(p -> inBlockOf(p.step(), f, step.id()))
                .noneMatch(p -> p.prediction().needsWork());
        if (blockDone || probed) {
          return with(
              ps,
              Prediction.SKIP,
              BlockStates.NOT_RUN + f.label() + (blockDone ? " did not fail" : " does not fail"));
        }
        return with(ps, Prediction.DECIDED_AT_RUN_TIME, BlockStates.IF_BLOCK_FAILS);
      }
    }
    BlockFrame inner = step.extras().blocks().get(step.extras().blocks().size() - 1);
    if (inner.section() == BlockFrame.Section.ALWAYS && ps.reason().isEmpty()) {
      return with(ps, ps.prediction(), "always: runs whether the block fails or not");
    }
    return ps;
  }

  /** Whether {@code s} is in the {@code block:} section of {@code f}'s block, in the same hop. */
  private static boolean inBlockOf(Step s, BlockFrame f, String stepId) {
    return BlockStates.hopOf(s.id()).equals(BlockStates.hopOf(stepId))
        && s.extras().blocks().stream()
            .anyMatch(x -> x.block() == f.block() && x.section() == BlockFrame.Section.BLOCK);
  }

  private static boolean inRescue(Step s) {
    return s.extras().blocks().stream().anyMatch(f -> f.section() == BlockFrame.Section.RESCUE);
  }

  private static PlannedStep with(PlannedStep ps, Prediction prediction, String reason) {
    return new PlannedStep(
        ps.step(),
        prediction,
        reason,
        prediction == Prediction.SKIP ? Optional.empty() : ps.command(),
        ps.previousAttempts(),
        ps.changed(),
        ps.overrides(),
        ps.delegate());
  }
}
