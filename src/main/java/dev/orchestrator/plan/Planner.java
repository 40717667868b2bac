package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.playbook.BatchSize;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Stage;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.rollout.Batching;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.template.RegisteredResult;
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
 * stage that selects it), splits them into batches, places the gates, and predicts every step from
 * the run's checkpoints, the known variables, the operator's selection (tags, expensive steps) and
 * any probe results. Templates are rendered here, so an undefined variable is reported before
 * anything runs. {@code plan} prints this object and {@code run} executes it: one code path.
 *
 * <p>Variable precedence, lowest first: playbook {@code vars} (defaults), inventory vars (group,
 * then host), extra vars ({@code -e}), then values registered by earlier steps. Magic vars: {@code
 * inventory_hostname}, {@code group_names}, {@code run_id}, {@code check_mode} (see {@link
 * #CHECK_MODE}).
 *
 * <p>Why one class of over 400 lines: the prediction rules of a step (checkpoint, definition hash,
 * tags, when, creates, hops, rollback marks) depend on one another and on the host's running
 * variables; they read as one pass over a host's steps.
 */
public final class Planner {
  private final TemplateEngine templates;

  /** Creates a planner using the given template engine. */
  public Planner(TemplateEngine templates) {
    this.templates = templates;
  }

  /** Plans with {@link PlanOptions#DEFAULT}. */
  public Plan plan(
      Playbook playbook,
      Inventory inventory,
      Map<String, ?> extraVars,
      Optional<String> limit,
      String runId,
      Optional<RunState> state) {
    return plan(playbook, inventory, extraVars, limit, runId, state, PlanOptions.DEFAULT);
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
   * @param options tags, expensive steps, reruns, probe results and host scope ({@code
   *     --retry-failed} holds back the hosts that did not fail in {@code state})
   * @return the plan
   * @throws InputException on an empty host selection or an undefined variable, or {@code
   *     --retry-failed} without a run
   */
  public Plan plan(
      Playbook playbook,
      Inventory inventory,
      Map<String, ?> extraVars,
      Optional<String> limit,
      String runId,
      Optional<RunState> state,
      PlanOptions options) {
    checkTags(playbook, options);
    Set<String> limited = limited(inventory, limit);
    Set<String> taken = new HashSet<>();
    List<PlannedStage> stages = new ArrayList<>();
    int selected = 0;
    for (Stage stage : playbook.stages()) {
      List<Host> hosts = new ArrayList<>();
      List<Host> matched;
      try {
        matched = inventory.select(stage.hosts());
      } catch (InputException e) {
        throw new InputException(
            playbook.file() + ": stage '" + stage.name() + "': " + e.getMessage(),
            stageGroupsHint(playbook, inventory));
      }
      // A group declared empty is the way to run without that stage's hosts (e.g. no production
      // hosts yet): the stage then has nothing to do, as when --limit leaves it no host.
      boolean declaredEmpty = inventory.groups().containsKey(stage.hosts().trim());
      if (matched.isEmpty() && !declaredEmpty) {
        throw new InputException(
            playbook.file()
                + ": stage '"
                + stage.name()
                + "' selects no host: the pattern '"
                + stage.hosts()
                + "' matches nothing in "
                + inventory.describe(),
            "fix the stage's 'hosts' pattern; " + stageGroupsHint(playbook, inventory));
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
          planned.add(planHost(playbook, playbook.steps(), h, extraVars, runId, state, options));
        }
        List<PlannedGate> after = new ArrayList<>();
        if (i < split.size() - 1) {
          for (int g = 0; g < stage.batchGates().size(); g++) {
            after.add(
                gate(
                    stage.batchGates().get(g),
                    PlannedGate.afterBatch(stage.name(), i + 1, g),
                    state));
          }
        }
        batches.add(new PlannedBatch(i + 1, planned, after));
      }
      List<PlannedGate> before = new ArrayList<>();
      for (int g = 0; g < stage.gates().size(); g++) {
        before.add(gate(stage.gates().get(g), PlannedGate.beforeStage(stage.name(), g), state));
      }
      stages.add(new PlannedStage(stage, before, batches));
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
    List<String> inventoryOrder =
        inventory.hosts().keySet().stream().filter(taken::contains).toList();
    checkGates(playbook, stages, extraVars, runId);
    Plan plan = new Plan(playbook, state.map(s -> s.info().id()), stages, inventoryOrder);
    return options.scope() == PlanOptions.Scope.FAILED_HOSTS_ONLY
        ? RetryFailed.holdBack(plan, state.orElseThrow(RetryFailed::needsARun))
        : plan;
  }

  /**
   * Plans one host of a run as {@link #plan} would (the first stage whose pattern selects it,
   * within {@code limit}), without planning the others: a controller that claims hosts of a shared
   * batch one at a time plans each against the run's checkpoints of the moment (issue 15), and a
   * plan of the whole inventory per claim made a batch of H hosts cost H whole plans.
   *
   * @param host the inventory host
   * @return the host as {@link #plan} plans it; empty when no stage selects it within {@code limit}
   * @throws InputException as {@link #plan} for bad tags, a limit that matches nothing or a stage
   *     pattern that cannot be read
   */
  public Optional<PlannedHost> planHost(
      Playbook playbook,
      Inventory inventory,
      Map<String, ?> extraVars,
      Optional<String> limit,
      String runId,
      Optional<RunState> state,
      PlanOptions options,
      String host) {
    checkTags(playbook, options);
    Set<String> limited = limited(inventory, limit);
    if (limited != null && !limited.contains(host)) {
      return Optional.empty();
    }
    for (Stage stage : playbook.stages()) {
      for (Host h : inventory.select(stage.hosts())) {
        if (h.name().equals(host)) {
          return Optional.of(
              planHost(playbook, playbook.steps(), h, extraVars, runId, state, options));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Renders every template of the gates still to pass as the run will (approval text and wait time
   * with the run's vars, health url, json and shell with the vars of each host the check will run
   * on), so that an undefined variable or a bad duration is reported before anything runs rather
   * than found by a gate that then waits out its whole timeout.
   *
   * @throws InputException naming the gate's place ({@code file:line:column}), stage, field and
   *     host
   */
  private void checkGates(
      Playbook playbook, List<PlannedStage> stages, Map<String, ?> extraVars, String runId) {
    // As RunExecutor#execute: the playbook and extra vars, then run_id.
    Map<String, Object> runVars = new LinkedHashMap<>(playbook.vars());
    runVars.putAll(extraVars);
    runVars.put("run_id", runId);
    List<PlannedHost> previous = List.of();
    for (PlannedStage stage : stages) {
      List<PlannedHost> hosts = stage.batches().stream().flatMap(b -> b.hosts().stream()).toList();
      if (hosts.isEmpty()) {
        continue; // the run skips the stage and its gates
      }
      for (PlannedGate g : stage.gatesBefore()) {
        checkGate(stage, g, previous, runVars);
      }
      for (PlannedBatch b : stage.batches()) {
        for (PlannedGate g : b.gatesAfter()) {
          checkGate(stage, g, b.hosts(), runVars);
        }
      }
      previous = hosts;
    }
  }

  private void checkGate(
      PlannedStage stage,
      PlannedGate planned,
      List<PlannedHost> hosts,
      Map<String, Object> runVars) {
    if (planned.open()) {
      return;
    }
    Gate gate = planned.gate();
    String where = gate.location() + ": stage '" + stage.stage().name() + "', ";
    if (gate instanceof Gate.Approval a) {
      render(where + "approval text: ", a.message(), runVars, false);
    } else if (gate instanceof Gate.Wait w) {
      String rendered = render(where + "wait: ", w.duration(), runVars, false);
      try {
        dev.orchestrator.common.Durations.parse(rendered);
      } catch (IllegalArgumentException e) {
        throw new InputException(
            where + "wait '" + w.duration() + "' gives " + e.getMessage(),
            "make the wait a duration such as 10m, or a variable that holds one");
      }
    } else if (gate instanceof Gate.Health h) {
      for (PlannedHost host : hosts) {
        String on = ", on host '" + host.host().name() + "': ";
        Map<String, Object> vars = host.vars();
        h.url().ifPresent(u -> render(where + "health url" + on, u, vars, false));
        h.shell().ifPresent(sh -> render(where + "health shell" + on, sh, vars, true));
        h.json()
            .forEach(
                (k, v) -> {
                  if (v instanceof String text) {
                    render(where + "health json." + k + on, text, vars, false);
                  }
                });
      }
    }
  }

  /**
   * Renders a gate's template as the gate will; a failure becomes an input error at {@code where}.
   */
  private String render(String where, String template, Map<String, Object> vars, boolean shell) {
    try {
      return shell
          ? templates.renderShell(template, vars).text()
          : templates.render(template, vars);
    } catch (TemplateException e) {
      throw templateError(where, e);
    }
  }

  /**
   * Refuses {@code --tags}/{@code --skip-tags} values that no step has ({@code all} aside), and
   * {@code --tags} that select no step at all: a run that "succeeds" having done nothing hides a
   * typo.
   *
   * @throws InputException naming the tag and listing the playbook's tags
   */
  static void checkTags(Playbook playbook, PlanOptions options) {
    if (options.tags().isEmpty() && options.skipTags().isEmpty()) {
      return;
    }
    Set<String> known = new java.util.TreeSet<>();
    playbook.steps().forEach(s -> known.addAll(s.traits().tags()));
    String knownList =
        known.isEmpty()
            ? "the playbook's steps have no tags"
            : "the playbook's tags: " + String.join(", ", known);
    for (List<String> given : List.of(options.tags(), options.skipTags())) {
      String option = given == options.tags() ? "--tags" : "--skip-tags";
      for (String t : given) {
        if (!t.equals("all") && !known.contains(t)) {
          List<String> near = dev.orchestrator.common.Suggestions.near(t, known, 3);
          throw new InputException(
              option + " '" + t + "': no step of " + playbook.file() + " has this tag",
              (near.isEmpty() ? "" : "did you mean " + String.join(", ", near) + "? ") + knownList);
        }
      }
    }
    if (!options.tags().isEmpty()
        && playbook.steps().stream()
            .noneMatch(s -> s.traits().selected(options.tags(), options.skipTags()))) {
      throw new InputException(
          "--tags "
              + String.join(",", options.tags())
              + (options.skipTags().isEmpty()
                  ? ""
                  : " --skip-tags " + String.join(",", options.skipTags()))
              + " select no step of "
              + playbook.file(),
          knownList + "; a step tagged 'never' runs only when --tags names it");
    }
  }

  /**
   * Plans {@code abort --rollback}: one stage, one batch, over every host that got past the step
   * marked {@code rollback_from: true} (or, without a mark, started any step): a step at or after
   * the mark succeeded, failed or was interrupted. Its steps are the playbook's rollback steps,
   * with the values the pipeline registered on that host.
   *
   * @throws InputException when the playbook has no rollback steps
   */
  public Plan planRollback(
      Playbook playbook,
      Inventory inventory,
      Map<String, ?> extraVars,
      String runId,
      RunState state) {
    if (playbook.rollback().isEmpty()) {
      throw new InputException(
          playbook.file() + " has no 'rollback' steps",
          "add rollback steps to the playbook, or abort without --rollback");
    }
    int mark = 0;
    for (int i = 0; i < playbook.steps().size(); i++) {
      if (playbook.steps().get(i).traits().rollbackFrom()) {
        mark = i;
        break;
      }
    }
    List<Step> pastMark = playbook.steps().subList(mark, playbook.steps().size());
    List<PlannedHost> hosts = new ArrayList<>();
    for (Host h : inventory.hosts().values()) {
      boolean past =
          pastMark.stream()
              .anyMatch(
                  s ->
                      state
                          .checkpoint(h.name(), s.id())
                          .map(
                              c ->
                                  c.status() == StepStatus.SUCCEEDED
                                      || c.status() == StepStatus.FAILED
                                      || c.status() == StepStatus.RUNNING)
                          .orElse(false));
      if (past) {
        Map<String, Object> vars = hostVars(playbook, h, extraVars, runId);
        for (Step s : playbook.steps()) {
          s.register()
              .ifPresent(
                  r ->
                      state
                          .checkpoint(h.name(), s.id())
                          .filter(c -> c.status().isDone())
                          .ifPresent(c -> vars.put(r, c.registered())));
        }
        hosts.add(planSteps(playbook.rollback(), h, vars, Optional.of(state), PlanOptions.DEFAULT));
      }
    }
    Stage stage = new Stage("rollback", "all", List.of(BatchSize.ALL), 100);
    List<PlannedBatch> batches =
        hosts.isEmpty() ? List.of() : List.of(new PlannedBatch(1, hosts, List.of()));
    return new Plan(
        playbook, Optional.of(runId), List.of(new PlannedStage(stage, List.of(), batches)));
  }

  /**
   * The magic variable that tells a command whether it runs as a {@code plan --check} probe ({@code
   * true}, set by the prober) or for real ({@code false}, set here for every run, resume, rollback
   * and health-gate shell): as Ansible's {@code ansible_check_mode}. A step with {@code check:
   * true} uses it to stop, read-only, before the part that changes the host. It is a value, not
   * template text, so it never changes a step's {@link
   * dev.orchestrator.playbook.Step#definitionHash() definition hash}.
   */
  public static final String CHECK_MODE = "check_mode";

  /**
   * Returns the template variables of a host before any step ran, with the magic vars; {@value
   * #CHECK_MODE} is {@code false} (a real run).
   */
  public static Map<String, Object> hostVars(
      Playbook playbook, Host host, Map<String, ?> extraVars, String runId) {
    Map<String, Object> vars = new LinkedHashMap<>(playbook.vars());
    vars.putAll(host.vars());
    vars.putAll(extraVars);
    vars.put("inventory_hostname", host.name());
    vars.put("run_id", runId);
    vars.put("group_names", host.groups().stream().filter(g -> !g.equals("all")).toList());
    vars.put(CHECK_MODE, false);
    return vars;
  }

  private static Set<String> limited(Inventory inventory, Optional<String> limit) {
    if (limit.isEmpty()) {
      return null;
    }
    Set<String> out = new HashSet<>();
    inventory.select(limit.get()).forEach(h -> out.add(h.name()));
    if (out.isEmpty()) {
      throw new InputException(
          "--limit '" + limit.get() + "' matches no host of " + inventory.describe(),
          "list the hosts with: orchestrator inventory " + inventory.inventoryOptions());
    }
    return out;
  }

  private static PlannedGate gate(Gate gate, String key, Optional<RunState> state) {
    Optional<GateRecord> r = state.flatMap(s -> s.gate(key));
    return new PlannedGate(
        gate,
        key,
        r.map(GateRecord::state).orElse(GateState.PENDING),
        r.map(GateRecord::message).orElse(""),
        r.flatMap(GateRecord::waitingSince));
  }

  private PlannedHost planHost(
      Playbook playbook,
      List<Step> steps,
      Host host,
      Map<String, ?> extraVars,
      String runId,
      Optional<RunState> state,
      PlanOptions options) {
    Map<String, Object> vars = hostVars(playbook, host, extraVars, runId);
    List<String> hops = hopValues(playbook, vars, host);
    List<Map.Entry<Step, Map<String, Object>>> instances = new ArrayList<>();
    if (hops.isEmpty()) {
      steps.forEach(s -> instances.add(Map.entry(s, Map.of())));
    } else {
      for (int i = 0; i < hops.size(); i++) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put(playbook.hops().orElseThrow().var(), hops.get(i));
        overrides.put("hop_index", i + 1);
        overrides.put("hop_count", hops.size());
        overrides.put("hop_last", i == hops.size() - 1);
        for (Step s : steps) {
          instances.add(Map.entry(s.forHop(hops.get(i)), overrides));
        }
      }
    }
    PlannedHost planned = planInstances(instances, host, vars, state, options);
    if (!playbook.rollbackOnFailure()) {
      return planned;
    }
    List<PlannedStep> rollback =
        playbook.rollback().stream()
            .map(r -> rollbackOnFailure(r, state.flatMap(s -> s.checkpoint(host.name(), r.id()))))
            .toList();
    return new PlannedHost(
        planned.host(),
        planned.vars(),
        planned.steps(),
        rollback,
        playbook.stepsPastRollbackMark());
  }

  /**
   * Plans one rollback step of {@code rollback_on_failure} from its checkpoint. A rollback that
   * completed reset its steps to pending, so a step with any other checkpoint belongs to a rollback
   * that is under way (it failed, or the controller stopped during it): resume finishes it first,
   * retrying the failed step (see {@link PlannedHost#rollbackUnderWay()}). Without a checkpoint, or
   * pending, the step runs only if a step past the rollback mark fails.
   */
  private static PlannedStep rollbackOnFailure(Step step, Optional<Checkpoint> cp) {
    int attempts = cp.map(Checkpoint::attempt).orElse(0);
    StepStatus status = cp.map(Checkpoint::status).orElse(StepStatus.PENDING);
    Prediction prediction;
    String reason;
    switch (status) {
      case SUCCEEDED, SKIPPED -> {
        prediction = status == StepStatus.SKIPPED ? Prediction.SKIPPED : Prediction.DONE;
        reason = "done in the rollback under way";
      }
      case FAILED -> {
        prediction = Prediction.RETRY;
        reason =
            "the rollback failed here (attempt "
                + attempts
                + (cp.get().message().isEmpty() ? "" : ": " + cp.get().message())
                + "); resume retries it";
      }
      case RUNNING -> {
        boolean rerun = step.traits().detached() || step.traits().idempotent();
        prediction = rerun ? Prediction.RERUN : Prediction.IN_DOUBT;
        reason =
            "was running (attempt "
                + attempts
                + ") when the rollback stopped"
                + (rerun ? "; runs again" : "; outcome unknown: resume --assume-done or --rerun");
      }
      default -> {
        prediction = Prediction.RUN;
        reason = "runs if a step past the rollback mark fails";
      }
    }
    return new PlannedStep(step, prediction, reason, Optional.empty(), attempts, false);
  }

  /**
   * Returns a host's hop values: each entry of {@code hops.values} is a template naming a list
   * variable, or text of values separated by commas or spaces. Rendered with the planner's engine,
   * so its errors mask the run's secrets as every template error does (issue 22).
   */
  @SuppressWarnings("unchecked")
  private List<String> hopValues(Playbook playbook, Map<String, Object> vars, Host host) {
    if (playbook.hops().isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    java.util.regex.Pattern single =
        java.util.regex.Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    TemplateEngine engine = templates;
    for (String v : playbook.hops().get().values()) {
      java.util.regex.Matcher m = single.matcher(v.trim());
      if (m.matches() && vars.get(m.group(1)) instanceof List<?> list) {
        list.forEach(x -> out.add(String.valueOf(x)));
        continue;
      }
      String rendered;
      try {
        rendered = engine.render(v, vars).trim();
      } catch (TemplateException e) {
        throw new InputException(
            playbook.file() + ": hops.values on host '" + host.name() + "': " + e.getMessage(),
            "define the list, e.g. upgrade_path: [\"27.1.12\", \"28.0.14\"], or -e upgrade_path=27.1.12,28.0.14");
      }
      for (String part : rendered.replaceAll("[\\[\\]'\"]", " ").split("[,\\s]+")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    for (String h : out) {
      if (!h.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new InputException(
            playbook.file()
                + ": hop value '"
                + h
                + "' on host '"
                + host.name()
                + "' is not a plain version or name",
            "use values such as 28.0.14");
      }
    }
    return out;
  }

  private PlannedHost planSteps(
      List<Step> steps,
      Host host,
      Map<String, Object> vars,
      Optional<RunState> state,
      PlanOptions options) {
    List<Map.Entry<Step, Map<String, Object>>> instances = new ArrayList<>();
    steps.forEach(s -> instances.add(Map.entry(s, Map.of())));
    return planInstances(instances, host, vars, state, options);
  }

  /**
   * What the playbook's stages select and the inventory has, and how to run without a stage's
   * hosts: declare its group empty, or --limit.
   */
  private static String stageGroupsHint(Playbook playbook, Inventory inventory) {
    return "the playbook's stages select "
        + String.join(
            ", ",
            playbook.stages().stream()
                .map(st -> "'" + st.hosts() + "' (stage " + st.name() + ")")
                .toList())
        + "; the inventory's groups are: "
        + String.join(", ", inventory.groups().keySet())
        + ". Put the hosts in those groups; to run without a stage's hosts, declare its group"
        + " empty (e.g. 'production: {}' under 'children:'), and use --limit to run some hosts"
        + " only";
  }

  private PlannedHost planInstances(
      List<Map.Entry<Step, Map<String, Object>>> instances,
      Host host,
      Map<String, Object> vars,
      Optional<RunState> state,
      PlanOptions options) {
    List<Step> steps = instances.stream().map(Map.Entry::getKey).toList();
    Set<String> registeredLater = new HashSet<>();
    steps.forEach(s -> s.register().ifPresent(registeredLater::add));
    Set<String> pendingRegisters = new HashSet<>();
    // the results that earlier steps register at run time, of known shape (RegisteredResult)
    Map<String, Object> shapes = new java.util.HashMap<>();
    PlanOptions.HostProbes probes = options.probes().get(host.name());
    List<PlannedStep> planned = new ArrayList<>();
    Optional<String> pausesAt = Optional.empty();
    for (Map.Entry<Step, Map<String, Object>> instance : instances) {
      Step step = instance.getKey();
      vars.putAll(instance.getValue());
      Optional<Checkpoint> cp = state.flatMap(s -> s.checkpoint(host.name(), step.id()));
      int attempts = cp.map(Checkpoint::attempt).orElse(0);
      boolean changed =
          cp.isPresent()
              && !cp.get().stepHash().isEmpty()
              && !step.matchesDefinition(cp.get().stepHash());
      PlannedStep p;
      if (cp.isPresent()
          && cp.get().status().isDone()
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
        step.register().ifPresent(r -> vars.put(r, c.registered()));
        step.register().ifPresent(shapes::remove);
      } else if (!step.traits().selected(options.tags(), options.skipTags())) {
        p =
            new PlannedStep(
                step,
                Prediction.NOT_SELECTED,
                "not selected by --tags/--skip-tags",
                Optional.empty(),
                attempts,
                changed);
      } else if (step.traits().expensive() && !options.includeExpensive()) {
        p =
            new PlannedStep(
                step,
                Prediction.NOT_SELECTED,
                "expensive: runs only with --include-expensive",
                Optional.empty(),
                attempts,
                changed);
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
            shapes.put(step.register().get(), RegisteredResult.unknown(step.register().get()));
            pendingRegisters.add(step.register().get());
          }
        }
      }
      registeredLater.remove(step.register().orElse(""));
      planned.add(instance.getValue().isEmpty() ? p : p.withOverrides(instance.getValue()));
    }
    return new PlannedHost(host, vars, planned);
  }

  /** Returns {@code vars} with the shapes of results registered at run time over them. */
  private static Map<String, Object> withShapes(
      Map<String, Object> vars, Map<String, Object> shapes) {
    Map<String, Object> all = new java.util.HashMap<>(vars);
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
        } else if (step.traits().idempotent()) {
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
        runtime = check(e, step, host, "when", pending, later);
      }
    }
    Optional<String> command = Optional.empty();
    boolean textAtRunTime = false; // only the command's text depends on a registered value
    try {
      command =
          Optional.of(
              step.traits().upload().isPresent()
                  ? templates.render(step.shell(), vars)
                  : templates.renderCommand(step.shell(), vars));
      templates.checkShellValues(step.shell(), vars);
    } catch (TemplateException e) {
      textAtRunTime |= check(e, step, host, "shell", pending, later);
    }
    for (Map.Entry<String, String> env : step.environment().entrySet()) {
      try {
        templates.render(env.getValue(), vars);
      } catch (TemplateException e) {
        textAtRunTime |= check(e, step, host, "environment." + env.getKey(), pending, later);
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
        runtime |= check(e, step, host, "creates", pending, later);
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
    return new PlannedStep(step, base, reason, command, attempts, changed);
  }

  /** Returns true when the undefined variable will be registered at run time; throws otherwise. */
  private static boolean check(
      TemplateException e,
      Step step,
      Host host,
      String field,
      Set<String> pending,
      Set<String> later) {
    if (e.knownAtRunTime()) {
      return true;
    }
    String root = e.undefinedRoot().orElse(null);
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
    if (root != null && pending.contains(root)) {
      throw new InputException(
          where
              + "'"
              + e.undefinedVariable().orElse(root)
              + "' is not a field of a registered result",
          "a registered result has "
              + String.join(", ", RegisteredResult.FIELDS.keySet())
              + " (README, register)");
    }
    throw templateError(where, e);
  }

  /**
   * The input error for a template that cannot be rendered, for steps and gates alike.
   *
   * @param where the place, ending in {@code ": "}
   */
  private static InputException templateError(String where, TemplateException e) {
    String root = e.undefinedRoot().orElse(null);
    if (e.undefinedVariable().isPresent()) {
      return new InputException(
          where + "undefined variable '" + e.undefinedVariable().get() + "'",
          "define it in the playbook's vars, the inventory (group or host vars) or with -e "
              + root
              + "=VALUE, or write {{ "
              + e.undefinedVariable().get()
              + " | default('...') }}");
    }
    return new InputException(where + e.getMessage(), e.hint().orElse("fix the template syntax"));
  }
}
