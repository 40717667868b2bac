package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.template.RegisteredResult;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Predicts every step of a host ({@link Prediction}) from the run's checkpoints, the known
 * variables, the operator's selection ({@link TagSelection}) and any {@code plan --check} probe
 * results, rendering its templates as the run will, so that an undefined variable is reported
 * before anything runs.
 *
 * <p>The rules of one step (checkpoint, definition hash, tags, when, creates, the values earlier
 * steps register) depend on one another and on the host's running variables: they read as one pass
 * over a host's steps.
 */
final class Predictor {
  private final TemplateEngine templates;
  private final ModulePlanning modules;

  /** Predicts with the run's template engine (its errors mask the run's secrets). */
  Predictor(TemplateEngine templates) {
    this.templates = templates;
    this.modules = new ModulePlanning(templates);
  }

  /**
   * Predicts {@code steps} on a host without hops, as {@link #plan} does (the rollback steps).
   *
   * @throws InputException as {@link #plan}
   */
  PlannedHost planSteps(
      List<Step> steps,
      Host host,
      Map<String, Object> vars,
      Optional<RunState> state,
      PlanOptions options) {
    List<Hops.Instance> instances = new ArrayList<>();
    steps.forEach(s -> instances.add(new Hops.Instance(s, Map.of())));
    return plan(instances, host, vars, state, options);
  }

  /**
   * Predicts a host's steps in order, each with what the steps before it register and set as far as
   * it is known before the run (Ansible's linear strategy: a task sees the values of the tasks
   * before it only).
   *
   * <p>The host's planned {@code vars} are what the run starts from: {@code start} with what the
   * steps that are already done registered and set (their checkpoints). What the plan predicts that
   * a step still to run will set ({@code set_fact}, {@code register}, a loop's result, block or
   * include vars) is for predicting the steps after it only: the run sets it when the step runs, so
   * a step before it never sees it.
   *
   * @param instances the host's pipeline ({@link Hops#instances})
   * @param start the host's variables ({@link Planner#hostVars}); updated in place with what the
   *     steps already done registered and set
   * @param state the run's checkpoints, if any
   * @param options the operator's selection, reruns and probe results
   * @throws InputException on a template that cannot be rendered and will not be decidable at run
   *     time, naming the step's place, field and host
   */
  PlannedHost plan(
      List<Hops.Instance> instances,
      Host host,
      Map<String, Object> start,
      Optional<RunState> state,
      PlanOptions options) {
    // the values as the host's steps reach each step: predicted values of steps still to run too
    Map<String, Object> vars = new HashMap<>(start);
    List<Step> steps = instances.stream().map(Hops.Instance::step).toList();
    Set<String> registeredLater = new HashSet<>();
    steps.forEach(s -> s.register().ifPresent(registeredLater::add));
    Set<String> pendingRegisters = new HashSet<>();
    // the results that earlier steps register at run time, of known shape (RegisteredResult)
    Map<String, Object> shapes = new HashMap<>();
    PlanOptions.HostProbes probes = options.probes().get(host.name());
    List<PlannedStep> planned = new ArrayList<>();
    Optional<String> pausesAt = Optional.empty();
    LoopPlanning loops = new LoopPlanning(templates);
    java.util.Deque<Hops.Instance> queue = new java.util.ArrayDeque<>(instances);
    while (!queue.isEmpty()) {
      Hops.Instance instance = queue.poll();
      Step step = instance.step();
      vars.putAll(instance.overrides());
      Optional<Checkpoint> cp = state.flatMap(s -> s.checkpoint(host.name(), step.id()));
      int attempts = cp.map(Checkpoint::attempt).orElse(0);
      boolean changed =
          cp.isPresent()
              && !cp.get().stepHash().isEmpty()
              && !step.matchesDefinition(cp.get().stepHash());
      Optional<String> notSelected = TagSelection.notSelected(step, options);
      PlannedStep p;
      boolean readAgain = FactSteps.readsAgain(step, cp, notSelected);
      if (cp.isPresent()
          && cp.get().status().isDone()
          && !readAgain
          && !(changed
              && (options.rerunSteps().contains(step.id())
                  || options.rerunSteps().contains(step.baseId())))) {
        Checkpoint c = cp.get();
        boolean skipped = c.status() == StepStatus.SKIPPED;
        String reason =
            (skipped ? "skipped" : "succeeded")
                + " at "
                + c.endedAt()
                + (c.message().isEmpty() ? "" : ": " + c.message())
                + (changed ? "; its definition has changed since" : "");
        p =
            new PlannedStep(
                step,
                skipped ? Prediction.SKIPPED : Prediction.DONE,
                reason,
                Optional.empty(),
                attempts,
                changed);
        for (Map<String, Object> m : List.of(vars, start)) {
          step.register().ifPresent(r -> m.put(r, c.registered()));
          ModulePlanning.applyDone(step, c.registered(), m);
        }
        step.register().ifPresent(shapes::remove);
      } else if (notSelected.isEmpty() && StartAtTask.skips(step, options)) {
        p =
            new PlannedStep(
                step, Prediction.SKIP, StartAtTask.REASON, Optional.empty(), attempts, changed);
      } else if (notSelected.isPresent()) {
        p =
            new PlannedStep(
                step,
                Prediction.NOT_SELECTED,
                notSelected.get(),
                Optional.empty(),
                attempts,
                changed);
      } else if (LoopPlanning.isLoop(step)) {
        LoopPlanning.Expansion expansion =
            loops.expand(
                instance,
                host,
                shapes.isEmpty() ? vars : withShapes(vars, shapes),
                state,
                attempts,
                changed);
        if (expansion.planned().isEmpty()) {
          // its items, planned next in its place
          for (int i = expansion.items().size() - 1; i >= 0; i--) {
            queue.addFirst(expansion.items().get(i));
          }
          continue;
        }
        p = expansion.planned().get();
        LoopPlanning.registerUnexpanded(p, vars, shapes, pendingRegisters);
      } else {
        p =
            predict(
                step,
                host,
                shapes.isEmpty() ? vars : withShapes(vars, shapes),
                pendingRegisters,
                registeredLater,
                cp,
                attempts,
                changed,
                probes);
        p =
            modules.predict(
                p,
                host,
                shapes.isEmpty() ? vars : withShapes(vars, shapes),
                vars,
                pendingRegisters,
                registeredLater);
        if (readAgain) {
          p = FactSteps.readAgain(p, cp.get());
        }
        if (pausesAt.isPresent() && p.prediction().needsWork()) {
          // plan --check: the host pauses at an earlier step, so the run does not get here.
          p =
              new PlannedStep(
                  step,
                  Prediction.NOT_REACHED,
                  "not reached: the host pauses at " + pausesAt.get(),
                  p.command(),
                  attempts,
                  changed);
        } else if (probes != null
            && p.prediction().mayRun()
            && probes.failed().containsKey(step.id())) {
          p =
              new PlannedStep(
                  step,
                  Prediction.PAUSE,
                  probes.failed().get(step.id()),
                  p.command(),
                  attempts,
                  changed);
          pausesAt = Optional.of(step.id());
        } else if (p.prediction() == Prediction.PAUSE) {
          pausesAt = Optional.of(step.id()); // a fail or a false assert (ModulePlanning)
        }
        if (step.register().isPresent()) {
          Map<String, Object> probed = probes == null ? null : probes.registered().get(step.id());
          shapes.remove(step.register().get());
          if (p.prediction() == Prediction.SKIP) {
            vars.put(step.register().get(), RegisteredResult.skipped());
          } else if (probed != null) {
            vars.put(step.register().get(), probed);
          } else {
            // its shape is known (a typo in a field is an error now), its values at run time
            shapes.put(
                step.register().get(),
                step.extras().file().isPresent()
                    ? RegisteredResult.unknownFile(step.register().get())
                    : ModulePlanning.shape(step, step.register().get()));
            pendingRegisters.add(step.register().get());
          }
        }
      }
      registeredLater.remove(step.register().orElse(""));
      p = instance.overrides().isEmpty() ? p : p.withOverrides(instance.overrides());
      planned.add(loops.afterItem(p, vars, shapes, pendingRegisters));
    }
    return new PlannedHost(host, start, FactSteps.onlyWithOtherWork(planned, state, host, start));
  }

  /** Returns {@code vars} with the shapes of results registered at run time over them. */
  private static Map<String, Object> withShapes(
      Map<String, Object> vars, Map<String, Object> shapes) {
    Map<String, Object> all = new HashMap<>(vars);
    all.putAll(shapes);
    return all;
  }

  private PlannedStep predict(
      Step step,
      Host host,
      Map<String, Object> vars,
      Set<String> pending,
      Set<String> later,
      Optional<Checkpoint> cp,
      int attempts,
      boolean changed,
      PlanOptions.HostProbes probes) {
    Prediction base = Prediction.RUN;
    String reason = changed ? "definition changed; runs again (--rerun-step)" : "";
    if (cp.isPresent() && !cp.get().status().isDone()) {
      Checkpoint c = cp.get();
      if (c.status() == StepStatus.FAILED) {
        base = Prediction.RETRY;
        reason =
            "failed at attempt "
                + c.attempt()
                + (c.exitCode() == null ? "" : " (exit code " + c.exitCode() + ")")
                + (c.message().isEmpty() ? "" : ": " + c.message());
      } else if (c.status() == StepStatus.PENDING) {
        reason = c.message();
      } else if (c.status() == StepStatus.RUNNING) {
        if (step.traits().detached()) {
          base = Prediction.RERUN;
          reason =
              "was running (attempt "
                  + c.attempt()
                  + ") when the controller stopped; re-attaches to its record on the host";
        } else if (step.traits().idempotent()
            || step.extras().fact()
            || ModulePlanning.rerunnable(step)
            || step.extras().file().isPresent()) {
          base = Prediction.RERUN;
          reason =
              "was running (attempt "
                  + c.attempt()
                  + ") when the controller stopped; idempotent, runs again";
        } else {
          base = Prediction.IN_DOUBT;
          reason =
              "was running (attempt "
                  + c.attempt()
                  + ") when the controller stopped; outcome unknown: resume --assume-done or --rerun";
        }
      }
    }
    boolean runtime = false;
    if (step.when().isPresent()) {
      try {
        if (!templates.evaluate(step.when().get(), vars)) {
          return new PlannedStep(
              step,
              Prediction.SKIP,
              "when: " + step.when().get() + " is false",
              Optional.empty(),
              attempts,
              changed);
        }
      } catch (TemplateException e) {
        runtime = RunTimeValues.check(e, step, host, "when", pending, later);
      }
    }
    Optional<String> command = Optional.empty();
    boolean textAtRunTime = false; // only the command's text depends on a registered value
    try {
      command =
          Optional.of(
              step.traits().upload().isPresent()
                      || step.extras().module().isPresent()
                      || step.extras().file().isPresent()
                  ? templates.render(step.shell(), vars)
                  : templates.renderCommand(step.shell(), vars));
      templates.checkShellValues(step.shell(), vars);
    } catch (TemplateException e) {
      textAtRunTime |= RunTimeValues.check(e, step, host, "shell", pending, later);
    }
    for (Map.Entry<String, String> env : step.environment().entrySet()) {
      try {
        templates.render(env.getValue(), vars);
      } catch (TemplateException e) {
        textAtRunTime |=
            RunTimeValues.check(e, step, host, "environment." + env.getKey(), pending, later);
      }
    }
    Optional<dev.orchestrator.playbook.FileModule> file = step.extras().file();
    for (Map.Entry<String, String> t :
        FileSourcePlanning.templates(step, host, vars, templates).entrySet()) {
      try {
        // template:, copy: checked per host; a template's source sees what template.py adds
        templates.render(
            t.getValue(),
            t.getKey().startsWith("template.src ")
                ? dev.orchestrator.template.FileTemplates.withTemplateVars(
                    vars, file.get().source().get().path(), file.get().dest())
                : vars);
      } catch (TemplateException e) {
        textAtRunTime |= RunTimeValues.check(e, step, host, t.getKey(), pending, later);
      }
    }
    if (probes == null) {
      runtime |= textAtRunTime;
    }
    if (step.creates().isPresent()) {
      try {
        String path = templates.render(step.creates().get(), vars);
        Boolean exists = probes == null ? null : probes.paths().get(path);
        if (Boolean.TRUE.equals(exists)) {
          return new PlannedStep(
              step,
              Prediction.SKIP,
              "creates: " + path + " exists (probed)",
              Optional.empty(),
              attempts,
              changed);
        }
        if (exists == null && base == Prediction.RUN && !runtime) {
          return new PlannedStep(
              step,
              Prediction.DECIDED_AT_RUN_TIME,
              "runs unless " + path + " exists on the host",
              command,
              attempts,
              changed);
        }
      } catch (TemplateException e) {
        runtime |= RunTimeValues.check(e, step, host, "creates", pending, later);
      }
    }
    if (runtime && base == Prediction.RUN) {
      return new PlannedStep(
          step,
          Prediction.DECIDED_AT_RUN_TIME,
          "cannot preview: depends on values registered at run time",
          command,
          attempts,
          changed);
    }
    if (textAtRunTime && base == Prediction.RUN) {
      // plan --check: whether it runs is decided (when, creates); only its text is not known yet
      return new PlannedStep(
          step,
          base,
          "runs; its command depends on values registered at run time (not previewed)",
          Optional.empty(),
          attempts,
          changed);
    }
    reason = reason.isEmpty() ? FileSourcePlanning.note(step, host, vars, templates) : reason;
    return new PlannedStep(step, base, reason, command, attempts, changed);
  }
}
