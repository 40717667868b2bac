package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanOptions;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.state.RunState;
import dev.orchestrator.template.TemplateEngine;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A run as a {@link RunRequest} asks for it, loaded once: its playbook, inputs ({@link RunInputs}),
 * template engine and inventory, and how it is planned. The one load-and-plan path of {@code run},
 * {@code plan} and {@code validate} (each loaded and planned on its own before issue 23), so that a
 * plan and the run it previews cannot disagree. {@code plan --run} plans against a stored run's
 * checkpoints: its stored vars and limit, and its tags unless others are given now.
 */
final class RequestedRun {
  final RunRequest request;
  final Optional<RunState> stored;
  final Playbook playbook;
  final RunInputs inputs;
  final TemplateEngine templates;
  final Inventory inventory;
  final Optional<String> limit;
  final PlanOptions options;
  final String id;

  private RequestedRun(
      RunRequest request,
      Optional<RunState> stored,
      Playbook playbook,
      RunInputs inputs,
      Inventory inventory,
      Optional<String> limit,
      PlanOptions options,
      String id) {
    this.request = request;
    this.stored = stored;
    this.playbook = playbook;
    this.inputs = inputs;
    this.templates = new TemplateEngine(inputs.secretNames());
    this.inventory = inventory;
    this.limit = limit;
    this.options = options;
    this.id = id;
  }

  /**
   * Loads a new run.
   *
   * @param id names the run once its playbook is loaded: a new run id ({@code run}), or what
   *     messages call a run not created ({@code (validate)})
   * @throws InputException on bad input
   */
  static RequestedRun load(RunRequest request, Function<Playbook, String> id) {
    Playbook pb = AnsibleDefaults.playbook(request.playbook(), request.connection().privilege());
    RunInputs inputs = RunInputs.forNewRun(request, pb);
    Inventory inv =
        inputs
            .connectionDefaults()
            .applyTo(
                AnsibleDefaults.inventory(
                    request.inventories(), Orchestrator.folderOf(request.playbook())));
    return new RequestedRun(
        request,
        Optional.empty(),
        pb,
        inputs,
        inv,
        request.limit(),
        request.selection().options(Set.of()),
        id.apply(pb));
  }

  /**
   * Loads a run to plan ({@code plan}): a new one, or the rest of a stored one with what is given
   * now on top.
   *
   * @param runId the stored run, if any
   * @throws InputException on bad input or an unknown stored run
   */
  static RequestedRun forPlan(RunRequest asked, Optional<String> runId) {
    Optional<RunState> run = runId.map(id -> asked.state().store().load(id));
    if (run.isEmpty()) {
      return load(asked, pb -> "(new run)");
    }
    var spec = run.get().info().spec();
    Playbook pb =
        AnsibleDefaults.playbook(
            asked.playbook(),
            asked.connection().privilege().given()
                ? asked.connection().privilege()
                : spec.privilege());
    ConnectionSettings connection =
        new ConnectionSettings(
            asked.connection().knownHosts(),
            false,
            false,
            asked.connection().defaults(),
            asked.connection().privilege());
    RunInputs inputs = RunInputs.forStoredRun(runId.get(), spec, pb, connection, asked.vars());
    Inventory inv =
        inputs
            .connectionDefaults()
            .applyTo(
                AnsibleDefaults.inventory(
                    asked.inventories(), Orchestrator.folderOf(asked.playbook())));
    Optional<String> lim = asked.limit().or(spec::limit);
    PlanOptions options = asked.selection().options(Set.of());
    if (asked.selection().isDefault()) {
      options = Selection.of(spec).options(Set.of());
    }
    return new RequestedRun(asked, run, pb, inputs, inv, lim, options, runId.get());
  }

  /** Plans the run with its options. */
  Plan plan() {
    return plan(options);
  }

  /** Plans the run with other options (a scope, probes). */
  Plan plan(PlanOptions options) {
    return new Planner(templates)
        .plan(
            new dev.orchestrator.plan.PlanInput(
                playbook, inventory, inputs.vars(), limit, id, stored, options));
  }

  /**
   * Plans one host of a new run against {@code state} as a plan of the whole run would, for a
   * shared store's batches; empty when the run does not select it.
   */
  Optional<PlannedHost> planHost(RunState state, Set<String> rerun, String host) {
    return new Planner(templates)
        .planHost(
            new dev.orchestrator.plan.PlanInput(
                playbook,
                inventory,
                inputs.vars(),
                request.limit(),
                id,
                Optional.of(state),
                request.selection().options(rerun)),
            host);
  }
}
