package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Stage;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.rollout.Batching;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@link Plan}: pure, no I/O. Selects each stage's hosts (a host belongs to the first
 * stage that selects it), splits them into batches, and predicts every step from the run's
 * checkpoints and the known variables. Templates are rendered here, so an undefined variable is
 * reported before anything runs.
 *
 * <p>Variable precedence, lowest first: playbook {@code vars} (defaults), inventory vars (group,
 * then host), extra vars ({@code -e}), then values registered by earlier steps. Magic vars: {@code
 * inventory_hostname}, {@code group_names}, {@code run_id}.
 */
public final class Planner {
  private final TemplateEngine templates;

  /** Creates a planner using the given template engine. */
  public Planner(TemplateEngine templates) {
    this.templates = templates;
  }

  /**
   * Plans a run.
   *
   * @param playbook the playbook
   * @param inventory the inventory
   * @param extraVars the {@code -e} vars (highest precedence)
   * @param limit an extra host pattern every host must match ({@code --limit}), if any
   * @param runId the run id, given to templates as {@code run_id}
   * @param state the run's checkpoints when resuming or planning against a run, if any
   * @return the plan
   * @throws InputException on an empty host selection or an undefined variable
   */
  public Plan plan(
      Playbook playbook,
      Inventory inventory,
      Map<String, ?> extraVars,
      Optional<String> limit,
      String runId,
      Optional<RunState> state) {
    Set<String> limited = limit.map(l -> names(inventory.select(l))).orElse(null);
    if (limited != null && limited.isEmpty()) {
      throw new InputException(
          "--limit '" + limit.get() + "' matches no host of " + inventory.file(),
          "list the hosts with: orchestrator inventory -i " + inventory.file());
    }
    Set<String> taken = new HashSet<>();
    List<PlannedStage> stages = new ArrayList<>();
    int selected = 0;
    for (Stage stage : playbook.stages()) {
      List<Host> hosts = new ArrayList<>();
      List<Host> matched = inventory.select(stage.hosts());
      if (matched.isEmpty()) {
        throw new InputException(
            playbook.file()
                + ": stage '"
                + stage.name()
                + "' selects no host: the pattern '"
                + stage.hosts()
                + "' matches nothing in "
                + inventory.file(),
            "fix the stage's 'hosts' pattern; the inventory's groups are: "
                + String.join(", ", inventory.groups().keySet()));
      }
      for (Host h : matched) {
        if ((limited == null || limited.contains(h.name())) && taken.add(h.name())) {
          hosts.add(h);
        }
      }
      selected += hosts.size();
      List<PlannedBatch> batches = new ArrayList<>();
      List<List<Host>> split = Batching.split(hosts, stage.serial());
      for (int i = 0; i < split.size(); i++) {
        List<PlannedHost> planned = new ArrayList<>();
        for (Host h : split.get(i)) {
          planned.add(planHost(playbook, h, extraVars, runId, state));
        }
        batches.add(new PlannedBatch(i + 1, planned));
      }
      stages.add(new PlannedStage(stage, batches));
    }
    if (selected == 0) {
      throw new InputException(
          "no stage of "
              + playbook.file()
              + " has a host within --limit '"
              + limit.orElse("")
              + "'",
          "widen --limit, or check it against the stages' host patterns");
    }
    return new Plan(playbook, state.map(s -> s.info().id()), stages);
  }

  /** Returns the template variables of a host before any step ran. */
  public static Map<String, Object> hostVars(
      Playbook playbook, Host host, Map<String, ?> extraVars, String runId) {
    Map<String, Object> vars = new LinkedHashMap<>(playbook.vars());
    vars.putAll(host.vars());
    vars.putAll(extraVars);
    vars.put("inventory_hostname", host.name());
    vars.put("run_id", runId);
    vars.put("group_names", host.groups().stream().filter(g -> !g.equals("all")).toList());
    return vars;
  }

  private PlannedHost planHost(
      Playbook playbook,
      Host host,
      Map<String, ?> extraVars,
      String runId,
      Optional<RunState> state) {
    Map<String, Object> vars = hostVars(playbook, host, extraVars, runId);
    Set<String> registeredLater = new HashSet<>();
    playbook.steps().forEach(s -> s.register().ifPresent(registeredLater::add));
    Set<String> pendingRegisters = new HashSet<>();
    List<PlannedStep> steps = new ArrayList<>();
    for (Step step : playbook.steps()) {
      Optional<Checkpoint> cp = state.flatMap(s -> s.checkpoint(host.name(), step.id()));
      int attempts = cp.map(Checkpoint::attempt).orElse(0);
      PlannedStep planned;
      if (cp.isPresent() && cp.get().status().isDone()) {
        Checkpoint c = cp.get();
        boolean skipped = c.status() == dev.orchestrator.state.StepStatus.SKIPPED;
        planned =
            new PlannedStep(
                step,
                skipped ? Prediction.SKIPPED : Prediction.DONE,
                (skipped ? "skipped" : "succeeded")
                    + " at "
                    + c.endedAt()
                    + (c.message().isEmpty() ? "" : ": " + c.message()),
                Optional.empty(),
                attempts);
        if (step.register().isPresent()) {
          vars.put(step.register().get(), c.registered());
        }
      } else {
        planned = predict(step, host, vars, pendingRegisters, registeredLater, cp, attempts);
        step.register().ifPresent(pendingRegisters::add);
      }
      registeredLater.remove(step.register().orElse(""));
      steps.add(planned);
    }
    return new PlannedHost(host, vars, steps);
  }

  private PlannedStep predict(
      Step step,
      Host host,
      Map<String, Object> vars,
      Set<String> pending,
      Set<String> later,
      Optional<Checkpoint> cp,
      int attempts) {
    Prediction base = Prediction.RUN;
    String reason = "";
    if (cp.isPresent()) {
      Checkpoint c = cp.get();
      switch (c.status()) {
        case FAILED -> {
          base = Prediction.RETRY;
          reason =
              "failed at attempt "
                  + c.attempt()
                  + (c.exitCode() == null ? "" : " (exit code " + c.exitCode() + ")")
                  + (c.message().isEmpty() ? "" : ": " + c.message());
        }
        case RUNNING -> {
          base = Prediction.RERUN;
          reason =
              "was running (attempt "
                  + c.attempt()
                  + ") when the controller stopped; outcome unknown, runs again";
        }
        default -> {}
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
              attempts);
        }
      } catch (TemplateException e) {
        runtime = check(e, step, host, "when", pending, later);
      }
    }
    Optional<String> command = Optional.empty();
    try {
      command = Optional.of(templates.render(step.shell(), vars));
    } catch (TemplateException e) {
      runtime |= check(e, step, host, "shell", pending, later);
    }
    for (Map.Entry<String, String> env : step.environment().entrySet()) {
      try {
        templates.render(env.getValue(), vars);
      } catch (TemplateException e) {
        runtime |= check(e, step, host, "environment." + env.getKey(), pending, later);
      }
    }
    if (step.creates().isPresent()) {
      try {
        String path = templates.render(step.creates().get(), vars);
        if (base == Prediction.RUN) {
          return new PlannedStep(
              step,
              Prediction.DECIDED_AT_RUN_TIME,
              "runs unless " + path + " exists on the host",
              command,
              attempts);
        }
      } catch (TemplateException e) {
        runtime |= check(e, step, host, "creates", pending, later);
      }
    }
    if (runtime && base == Prediction.RUN) {
      return new PlannedStep(
          step,
          Prediction.DECIDED_AT_RUN_TIME,
          "depends on values registered at run time",
          command,
          attempts);
    }
    return new PlannedStep(step, base, reason, command, attempts);
  }

  /** Returns true when the undefined variable will be registered at run time; throws otherwise. */
  private static boolean check(
      TemplateException e,
      Step step,
      Host host,
      String field,
      Set<String> pending,
      Set<String> later) {
    String root = e.undefinedRoot().orElse(null);
    if (root != null && pending.contains(root)) {
      return true;
    }
    String where =
        step.location()
            + ": step '"
            + step.id()
            + "', "
            + field
            + ", on host '"
            + host.name()
            + "': ";
    if (root != null && later.contains(root)) {
      throw new InputException(
          where + "'" + root + "' is registered by a later step",
          "move the step that registers '" + root + "' before step '" + step.id() + "'");
    }
    if (e.undefinedVariable().isPresent()) {
      throw new InputException(
          where + "undefined variable '" + e.undefinedVariable().get() + "'",
          "define it in the playbook's vars, the inventory (group or host vars) or with -e "
              + root
              + "=VALUE, or write {{ "
              + e.undefinedVariable().get()
              + " | default('...') }}");
    }
    throw new InputException(where + e.getMessage(), "fix the template syntax");
  }

  private static Set<String> names(List<Host> hosts) {
    Set<String> out = new HashSet<>();
    hosts.forEach(h -> out.add(h.name()));
    return out;
  }
}
