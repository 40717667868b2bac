package dev.orchestrator.execute;

import dev.orchestrator.plan.LoopItems;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.Loop;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.report.Event;
import dev.orchestrator.template.LoopResult;
import dev.orchestrator.template.TemplateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loops of one host's pipeline (README "Playbook reference", loops): each item is a step of its
 * own ({@code ID[LABEL]}), checkpointed as any step. Items the plan listed run as planned; a looped
 * step whose list the plan could not know ({@link Prediction#DECIDED_AT_RUN_TIME}, its list depends
 * on a registered value) is expanded here, the same way the planner does ({@link LoopItems}), and
 * its items run in order. The first item that fails pauses the host there (Ansible runs the
 * remaining items first; a rolling update must not go on past a failure), and a resume continues at
 * that item. After each item the looped step's {@code register} variable is rebuilt with Ansible's
 * shape ({@link LoopResult}) from the items so far, those done before included (the plan carries
 * their recorded results). {@code loop_control.pause} waits between two items.
 */
final class LoopSteps {
  private final StepContext context;

  /** Per loop id: the entries of its {@code results} so far. */
  private final Map<String, List<Map<String, Object>>> results = new HashMap<>();

  LoopSteps(StepContext context) {
    this.context = context;
  }

  /**
   * Runs a planned step that needs work: a looped step planned as one is expanded and its items
   * run; any other runs as planned.
   *
   * @param vars the host's vars; receive the loop variables and the register variable
   */
  StepResult run(PlannedStep ps, Map<String, Object> vars, StepRunner runner) {
    if (ps.step().extras().loop().isEmpty()) {
      return item(ps, vars, runner);
    }
    Step step = ps.step();
    Instant startedAt = Instant.now();
    List<LoopItems.Item> items;
    try {
      items = LoopItems.expand(context.templates(), step, vars);
    } catch (TemplateException e) {
      return context.templateError(step, ps.previousAttempts() + 1, startedAt, e);
    } catch (LoopItems.BadItems e) {
      return context.failed(
          step, ps.previousAttempts() + 1, startedAt, null, "loop: " + e.getMessage(), "");
    }
    if (items.isEmpty()) {
      return empty(step, ps.previousAttempts(), startedAt, vars);
    }
    StepResult last = null;
    for (LoopItems.Item item : items) {
      context.checkpoints().know(item.step());
      vars.putAll(item.overrides());
      last =
          item(
              new PlannedStep(
                  item.step(), Prediction.RUN, "", Optional.empty(), 0, false, item.overrides()),
              vars,
              runner);
      if (!last.goesOn()) {
        return last;
      }
    }
    return last;
  }

  /**
   * A planned step the pipeline does not run (done before, not selected): a done item's recorded
   * result (in its overrides) joins its loop's register variable.
   */
  void notRun(PlannedStep ps, Map<String, Object> vars) {
    if (!ps.prediction().needsWork()) {
      joined(ps, vars);
    }
  }

  private StepResult item(PlannedStep ps, Map<String, Object> vars, StepRunner runner) {
    Optional<Loop.Item> item = ps.step().extras().item();
    Optional<Duration> pause = item.flatMap(i -> i.loop().pause());
    if (pause.isPresent() && item.get().index() > 0) {
      try {
        context.sleeper().sleep(pause.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return context.failed(
            ps.step(), ps.previousAttempts() + 1, Instant.now(), null, "interrupted", "");
      }
    }
    StepResult result = runner.run(ps, vars);
    if (result.goesOn()) {
      joined(ps, vars);
    }
    return result;
  }

  /** Adds an item's result (its register variable now) to its loop's, and sets the loop's. */
  private void joined(PlannedStep ps, Map<String, Object> vars) {
    Optional<Loop.Item> item = ps.step().extras().item();
    Optional<String> register = ps.step().register();
    if (item.isEmpty() || register.isEmpty()) {
      return;
    }
    Loop.Item i = item.get();
    if (i.index() == 0) {
      results.put(i.loopId(), new ArrayList<>());
    }
    List<Map<String, Object>> entries = results.computeIfAbsent(i.loopId(), k -> new ArrayList<>());
    @SuppressWarnings("unchecked")
    Map<String, Object> own =
        vars.get(register.get()) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    entries.add(
        LoopResult.item(
            own,
            i.loop().loopVar(),
            ps.overrides().get(i.loop().loopVar()),
            i.loop().indexVar().orElse(null),
            i.index()));
    vars.put(register.get(), LoopResult.of(entries));
  }

  /** A loop over an empty list: recorded as skipped, registering Ansible's empty loop result. */
  private StepResult empty(Step step, int attempts, Instant startedAt, Map<String, Object> vars) {
    Instant end = Instant.now();
    String reason = "no items in the list";
    Map<String, Object> registered = LoopResult.empty();
    context
        .checkpoints()
        .skipped(
            step.id(),
            attempts,
            startedAt,
            end,
            reason,
            step.register().isPresent() ? registered : Map.of());
    step.register().ifPresent(r -> vars.put(r, registered));
    StepResult result = new StepResult.Skipped(reason);
    context
        .events()
        .emit(
            new Event.StepFinished(
                end,
                context.host(),
                step.id(),
                result.outcome(),
                null,
                Duration.between(startedAt, end),
                reason,
                "",
                false));
    return result;
  }
}
