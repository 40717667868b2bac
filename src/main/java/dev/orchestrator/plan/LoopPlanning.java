package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.Loop;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.template.LoopResult;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plans the looped steps of one host's pass ({@link Predictor}): a list known before the run
 * becomes one planned step per item ({@link LoopItems}); a list that depends on a value registered
 * at run time stays one step, {@link Prediction#DECIDED_AT_RUN_TIME}, whose items the run expands
 * and checkpoints; an empty list is one skip. The looped step's {@code register} variable gets
 * Ansible's shape ({@link LoopResult}) from its items' results as far as they are known.
 *
 * <p>Items are matched to the run's checkpoints by id ({@code ID[LABEL]}), so a resume never runs
 * an item that succeeded, whatever its place in the list. When the list changed since the run
 * paused, an item that had started and did not finish (failed, or interrupted) and is no longer in
 * the list is refused: leaving it out would skip it silently. The operator restores the list or
 * gives the item up ({@code resume --skip-step 'ID[LABEL]'}). An item that succeeded and left the
 * list stays done.
 */
final class LoopPlanning {
  private final TemplateEngine templates;

  /** Per loop id: the items' entries of {@code results} so far; null once one is unknown. */
  private final Map<String, List<Map<String, Object>>> results = new HashMap<>();

  LoopPlanning(TemplateEngine templates) {
    this.templates = templates;
  }

  /** Returns whether the step is a looped step still to expand (not one of its items). */
  static boolean isLoop(Step step) {
    return step.extras().loop().isPresent();
  }

  /**
   * Expands a looped step on a host.
   *
   * @param vars the host's variables where the step stands (with the shapes of pending results)
   * @return the items to plan in its place, or the step itself planned as one (decided at run time,
   *     or an empty list)
   * @throws InputException when the list cannot be rendered, is not a list, or has changed so that
   *     a started item would be left out
   */
  Expansion expand(
      Hops.Instance instance,
      Host host,
      Map<String, Object> vars,
      Optional<RunState> state,
      int attempts,
      boolean changed) {
    Step step = instance.step();
    String where =
        step.location() + ": step '" + step.id() + "', loop, on host '" + host.name() + "': ";
    List<LoopItems.Item> items;
    try {
      items = LoopItems.expand(templates, step, vars);
    } catch (TemplateException e) {
      if (!e.knownAtRunTime()) {
        throw TemplateErrors.inputError(where, e);
      }
      List<String> started = started(step, host, state).keySet().stream().toList();
      if (!started.isEmpty()) {
        throw new InputException(
            where
                + "its items depend on a value registered at run time, and items "
                + String.join(", ", started)
                + " already ran: which of them are still in the list is known only when it runs",
            "let the step that registers the list finish first, or decide each item: resume"
                + " --skip-step 'ID[LABEL]' --host "
                + host.name());
      }
      return new Expansion(
          List.of(),
          Optional.of(
              new PlannedStep(
                  step,
                  Prediction.DECIDED_AT_RUN_TIME,
                  "items decided at run time: "
                      + step.extras().loop().get().template().orElse("")
                      + "; each item is checkpointed as "
                      + step.id()
                      + "[LABEL]",
                  Optional.empty(),
                  attempts,
                  changed)));
    } catch (LoopItems.BadItems e) {
      throw new InputException(
          where + e.getMessage(), "write e.g. loop: [lb1, lb2] or loop: \"{{ backends }}\"");
    }
    refuseLeftOut(step, host, state, items);
    if (items.isEmpty()) {
      return new Expansion(
          List.of(),
          Optional.of(
              new PlannedStep(
                  step,
                  Prediction.SKIP,
                  "no items in the list",
                  Optional.empty(),
                  attempts,
                  changed)));
    }
    List<Hops.Instance> out = new ArrayList<>();
    for (LoopItems.Item item : items) {
      Map<String, Object> overrides = new LinkedHashMap<>(instance.overrides());
      overrides.putAll(item.overrides());
      out.add(new Hops.Instance(item.step(), overrides));
    }
    return new Expansion(out, Optional.empty());
  }

  /**
   * What a looped step becomes.
   *
   * @param items the items to plan in its place, empty when {@code planned} is given
   * @param planned the step planned as one, when not expanded
   */
  record Expansion(List<Hops.Instance> items, Optional<PlannedStep> planned) {}

  /**
   * After a looped step planned as one: its {@code register} variable is the empty list's result,
   * or of the shape the run will register.
   */
  static void registerUnexpanded(
      PlannedStep p, Map<String, Object> vars, Map<String, Object> shapes, Set<String> pending) {
    p.step()
        .register()
        .ifPresent(
            r -> {
              if (p.prediction() == Prediction.SKIP) {
                vars.put(r, LoopResult.empty());
                shapes.remove(r);
              } else {
                shapes.put(r, LoopResult.unknown(r));
                pending.add(r);
              }
            });
  }

  /**
   * After an item was planned: its result joins the loop's {@code register} variable; an item
   * already done carries its own result in its overrides, so that the run builds the same list.
   *
   * @return the planned item, with its recorded result for a done item
   */
  PlannedStep afterItem(
      PlannedStep p, Map<String, Object> vars, Map<String, Object> shapes, Set<String> pending) {
    Optional<Loop.Item> item = p.step().extras().item();
    Optional<String> register = p.step().register();
    if (item.isEmpty() || register.isEmpty()) {
      return p;
    }
    Loop.Item i = item.get();
    String r = register.get();
    if (i.index() == 0) {
      results.put(i.loopId(), new ArrayList<>());
    }
    List<Map<String, Object>> entries = results.get(i.loopId());
    PlannedStep out = p;
    if (entries != null && !shapes.containsKey(r) && vars.get(r) instanceof Map<?, ?> own) {
      @SuppressWarnings("unchecked")
      Map<String, Object> ownResult = (Map<String, Object>) own;
      Loop loop = i.loop();
      entries.add(
          LoopResult.item(
              ownResult,
              loop.loopVar(),
              p.overrides().get(loop.loopVar()),
              loop.indexVar().orElse(null),
              i.index()));
      if (!p.prediction().needsWork()) {
        Map<String, Object> withOwn = new LinkedHashMap<>(p.overrides());
        withOwn.put(r, ownResult);
        out = p.withOverrides(withOwn);
      }
    } else {
      results.put(i.loopId(), null);
      entries = null;
    }
    if (entries != null) {
      vars.put(r, LoopResult.of(entries));
      shapes.remove(r);
    } else {
      vars.remove(r);
      shapes.put(r, LoopResult.unknown(r));
      pending.add(r);
    }
    return out;
  }

  /** The host's checkpoints of this loop's items, by id. */
  private static Map<String, Checkpoint> started(Step step, Host host, Optional<RunState> state) {
    String prefix = step.id() + "[";
    return state.map(s -> s.checkpoints(host.name())).orElse(List.of()).stream()
        .filter(c -> c.stepId().startsWith(prefix))
        .collect(Collectors.toMap(Checkpoint::stepId, c -> c, (a, b) -> b, LinkedHashMap::new));
  }

  /** Refuses a list that leaves out an item which started and did not finish. */
  private static void refuseLeftOut(
      Step step, Host host, Optional<RunState> state, List<LoopItems.Item> items) {
    Set<String> ids = items.stream().map(i -> i.step().id()).collect(Collectors.toSet());
    List<String> leftOut =
        started(step, host, state).values().stream()
            .filter(c -> !c.status().isDone() && !ids.contains(c.stepId()))
            .map(
                c -> c.stepId() + " (" + c.status().name().toLowerCase(java.util.Locale.ROOT) + ")")
            .toList();
    if (!leftOut.isEmpty()) {
      String first = leftOut.get(0).substring(0, leftOut.get(0).indexOf(' '));
      throw new InputException(
          step.location()
              + ": step '"
              + step.id()
              + "' on host '"
              + host.name()
              + "': its list of items changed since the run stopped, and "
              + String.join(", ", leftOut)
              + " is no longer in it: resuming would skip it silently",
          "restore the list, or give the item up: resume RUN_ID --skip-step '"
              + first
              + "' --host "
              + host.name());
    }
  }
}
