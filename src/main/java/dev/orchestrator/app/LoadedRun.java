package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanOptions;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A stored run with its playbook and inventory loaded again and its inputs assembled ({@link
 * RunInputs}), as resume, approve, reject and abort need them. Secret extra vars were never stored:
 * they must be given again with {@code -e}.
 */
final class LoadedRun {
  final StateStore store;
  final RunState state;
  final Playbook playbook;
  final Inventory inventory;
  final RunInputs inputs;
  final Map<String, Object> extraVars;
  final java.util.Set<String> secretNames;
  final TemplateEngine templates;

  private LoadedRun(
      StateStore store, RunState state, Playbook playbook, Inventory inventory, RunInputs inputs) {
    this.store = store;
    this.state = state;
    this.playbook = playbook;
    this.inventory = inventory;
    this.inputs = inputs;
    this.extraVars = inputs.vars();
    this.secretNames = inputs.secretNames();
    this.templates = new TemplateEngine(secretNames);
  }

  /**
   * Loads a run with the inputs given now ({@link RunInputs#forStoredRun}: the stored ones, with
   * what is given now overriding them).
   *
   * @param location where the run is stored
   * @param runId the run
   * @param given {@code -e}, {@code --vars-file}, {@code --secrets-file} given now
   * @param connection the connection options given now
   * @throws InputException if the run does not exist, a secret var is missing or a file is gone
   */
  static LoadedRun load(
      StateLocation location, String runId, VarsInput given, ConnectionSettings connection) {
    StateStore store = location.store();
    RunState state = store.load(runId);
    RunSpec spec = state.info().spec();
    Playbook pb =
        AnsibleDefaults.playbook(
            Path.of(spec.playbook()),
            connection.privilege().given() ? connection.privilege() : spec.privilege());
    RunInputs inputs = RunInputs.forStoredRun(runId, spec, pb, connection, given);
    Inventory inv =
        inputs
            .connectionDefaults()
            .applyTo(
                AnsibleDefaults.inventory(
                    Wiring.paths(spec.inventories()),
                    Orchestrator.folderOf(Path.of(spec.playbook()))));
    return new LoadedRun(store, state, pb, inv, inputs);
  }

  /** Loads the run a request names, with the inputs it gives. */
  static LoadedRun load(StoredRunRequest request) {
    return load(request.state(), request.runId(), request.vars(), request.connection());
  }

  RunInfo info() {
    return state.info();
  }

  String id() {
    return state.info().id();
  }

  /**
   * Refuses when another live controller executes the run: on a shared store, one holding the run's
   * coordination lease; else a live process on this machine.
   */
  void refuseIfRunningElsewhere(CommandHints hints) {
    RunInfo info = info();
    var shared = store.shared();
    if (shared.isPresent()) {
      // several machines share the store: the coordinator's lease says who executes the run
      var holder = shared.get().queue(id(), Coordination.CONTROLLER).otherCoordinator();
      if (info.status() == RunStatus.RUNNING && holder.isPresent()) {
        throw Coordination.refusal(id(), holder.get(), hints);
      }
      return;
    }
    if (info.status() == RunStatus.RUNNING
        && info.controllerPid() != ProcessHandle.current().pid()
        && ProcessHandle.of(info.controllerPid()).map(ProcessHandle::isAlive).orElse(false)) {
      throw new OrchestratorException(
          ErrorKind.CONFLICT,
          "run "
              + id()
              + " is being executed by process "
              + info.controllerPid()
              + " on this machine",
          "wait for it to finish, or stop that process; then: " + hints.command("resume", id()));
    }
  }

  /**
   * Plans the rest of the run against its checkpoints (the same tags and expensive choice as it
   * started with).
   */
  Plan plan(Set<String> rerun) {
    return plan(rerun, PlanOptions.Scope.ALL_HOSTS);
  }

  /**
   * As {@link #plan(Set)}, working on every host or only the failed ones ({@code --retry-failed}).
   */
  Plan plan(Set<String> rerun, PlanOptions.Scope scope) {
    RunSpec spec = info().spec();
    return plan(Selection.of(spec).options(rerun).withScope(scope));
  }

  /**
   * Plans one host of the run against {@code fresh} as a plan of the whole run would (the same tags
   * and expensive choice as it started with), without the other hosts; empty when the run does not
   * select it.
   */
  Optional<dev.orchestrator.plan.PlannedHost> planHostAgainst(
      RunState fresh, Set<String> rerun, String host) {
    RunSpec spec = info().spec();
    return new Planner(templates)
        .planHost(
            new dev.orchestrator.plan.PlanInput(
                playbook,
                inventory,
                extraVars,
                spec.limit(),
                id(),
                Optional.of(fresh),
                Selection.of(spec).options(rerun)),
            host);
  }

  Plan plan(PlanOptions options) {
    return new Planner(templates)
        .plan(
            new dev.orchestrator.plan.PlanInput(
                playbook,
                inventory,
                extraVars,
                info().spec().limit(),
                id(),
                Optional.of(state),
                options));
  }
}
