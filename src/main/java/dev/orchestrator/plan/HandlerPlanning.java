package dev.orchestrator.plan;

import dev.orchestrator.playbook.Handlers;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Places a playbook's handlers in a host's pipeline and predicts whether each run of them happens
 * (README "Handlers"; Ansible:
 * https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_handlers.html and ansible-core's
 * {@code plugins/strategy/__init__.py}). Every handler has a run at each flush point: a {@code
 * meta: flush_handlers} step (the run's id is {@code HANDLER.FLUSH}) and the end of the host's
 * steps (its id is the handler's), in the order the handlers are defined. A run happens when a step
 * (or an earlier handler run) between the handler's previous run and this one notifies it and
 * changed the host: so a handler notified twice runs once, and one notified by a handler defined
 * before it runs in the same flush.
 *
 * <p>Pending notifications need no record of their own: they are derived from the checkpoints (the
 * notifying step's says it succeeded and changed; the handler run's says nothing yet), so a
 * notification survives a pause, a controller stop and a resume with no new window in the
 * write-ahead rule. The prediction of a run without a checkpoint of its own: {@link Prediction#RUN}
 * when a checkpoint already notifies it, or a step that notifies it will run and has no {@code
 * changed_when} (a shell step that succeeds changes the host; one that fails pauses the host before
 * the handler), {@link Prediction#SKIP} ("not notified") when no notifier is left that may change
 * the host, else {@link Prediction#DECIDED_AT_RUN_TIME} ("if notified": a notifier's {@code
 * changed_when} or {@code when} decides at run time).
 */
final class HandlerPlanning {

  private HandlerPlanning() {}

  /**
   * Returns the pipeline with the handlers' runs in place of each {@code meta: flush_handlers} step
   * and after the last step. Without handlers, only the flush steps go.
   */
  static List<Hops.Instance> place(Playbook playbook, List<Hops.Instance> instances) {
    List<Hops.Instance> out = new ArrayList<>();
    Map<String, Object> last = Map.of();
    for (Hops.Instance instance : instances) {
      last = instance.overrides();
      if (!instance.step().extras().flushHandlers()) {
        out.add(instance);
        continue;
      }
      for (Step h : playbook.handlers()) {
        out.add(
            new Hops.Instance(
                withId(h, Handlers.runId(h.id(), Optional.of(instance.step().id()))),
                instance.overrides()));
      }
    }
    for (Step h : playbook.handlers()) {
      out.add(new Hops.Instance(h, last));
    }
    return out;
  }

  /**
   * Predicts whether each handler run of a host happens, from what the steps before it are
   * predicted to do and what their checkpoints say.
   */
  static PlannedHost predict(PlannedHost planned, Optional<RunState> state) {
    List<PlannedStep> steps = planned.steps();
    if (steps.stream().noneMatch(p -> p.step().extras().handler())) {
      return planned;
    }
    List<PlannedStep> out = new ArrayList<>(steps);
    for (int i = 0; i < steps.size(); i++) {
      PlannedStep run = steps.get(i);
      Prediction p = run.prediction();
      if (!run.step().extras().handler()
          || (p != Prediction.RUN && p != Prediction.DECIDED_AT_RUN_TIME && p != Prediction.SKIP)
          || state.flatMap(s -> s.checkpoint(planned.host().name(), run.step().id())).isPresent()) {
        continue; // a step, or a handler run its own checkpoint decides
      }
      List<String> changed = new ArrayList<>();
      List<String> willChange = new ArrayList<>();
      List<String> maybe = new ArrayList<>();
      for (int q : window(steps, i)) {
        PlannedStep notifier = out.get(q);
        String id = notifier.step().id();
        Optional<String> changedWhen = notifier.step().traits().changedWhen().map(String::strip);
        if (changedWhen.filter(c -> c.equalsIgnoreCase("false")).isPresent()
            || (changedWhen.isEmpty()
                && notifier.step().extras().module().isPresent()
                && !notifier.step().extras().module().orElseThrow().mayChange()
                && !ModulePlanning.mayChange(notifier.step()))) {
          // changed_when: false never notifies (a read-only check), nor does a module such as
          // debug or wait_for, which changes nothing
          continue;
        }
        // a command changes the host when it succeeds, a template: or copy: (or a service module)
        // only when the file (the unit) differs, which the run finds out
        boolean changes =
            changedWhen.isPresent()
                ? changedWhen.get().equalsIgnoreCase("true")
                : notifier.step().extras().file().isEmpty()
                    && notifier.step().extras().module().isEmpty();
        switch (notifier.prediction()) {
          case DONE -> {
            if (state
                .flatMap(s -> s.checkpoint(planned.host().name(), id))
                .map(Checkpoint::changed)
                .orElse(false)) {
              changed.add(id);
            }
          }
          case SKIPPED, SKIP, NOT_SELECTED, NOT_REACHED, PAUSE -> {}
            // a shell step changes the host when it succeeds, unless changed_when says otherwise;
            // if it fails, the host pauses before this run
          case RUN, RETRY, RERUN -> (changes ? willChange : maybe).add(id);
          default -> maybe.add(id);
        }
      }
      if (!changed.isEmpty() || !willChange.isEmpty()) {
        if (p != Prediction.SKIP) {
          String by =
              "notified by "
                  + String.join(", ", changed)
                  + (changed.isEmpty() || willChange.isEmpty() ? "" : ", ")
                  + String.join(", ", willChange)
                  + (willChange.isEmpty() ? "" : " (a shell step changes the host)");
          String when = p == Prediction.RUN ? "" : "; " + run.reason();
          out.set(i, with(run, Prediction.RUN, by + when));
        }
      } else if (maybe.isEmpty()) {
        out.set(i, with(run, Prediction.SKIP, Handlers.NOT_NOTIFIED));
      } else if (p != Prediction.SKIP) {
        out.set(
            i,
            with(
                run,
                Prediction.DECIDED_AT_RUN_TIME,
                "if notified: runs when " + String.join(", ", maybe) + " changes the host"));
      }
    }
    return new PlannedHost(
        planned.host(), planned.vars(), out, planned.rollbackOnFailure(), planned.rollbackAfter());
  }

  /**
   * Returns the positions of the steps and handler runs that may notify the handler run at {@code
   * index}: those after the handler's previous run (or from the start) that notify it.
   */
  static List<Integer> window(List<PlannedStep> steps, int index) {
    Step handler = steps.get(index).step();
    int from = 0;
    for (int q = index - 1; q >= 0; q--) {
      Step s = steps.get(q).step();
      if (s.extras().handler() && s.name().equals(handler.name())) {
        from = q + 1;
        break;
      }
    }
    List<Integer> out = new ArrayList<>();
    for (int q = from; q < index; q++) {
      if (Handlers.notifies(steps.get(q).step(), handler)) {
        out.add(q);
      }
    }
    return out;
  }

  private static PlannedStep with(PlannedStep p, Prediction prediction, String reason) {
    return new PlannedStep(
        p.step(),
        prediction,
        reason,
        prediction == Prediction.SKIP ? Optional.empty() : p.command(),
        p.previousAttempts(),
        p.changed(),
        p.overrides());
  }

  /** The handler as it runs at a flush point: its own checkpoint id, all else the same. */
  private static Step withId(Step h, String id) {
    return Handlers.atFlush(h, id);
  }
}
