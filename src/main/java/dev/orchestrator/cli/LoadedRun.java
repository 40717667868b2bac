package dev.orchestrator.cli;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanOptions;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A stored run with its playbook and inventory loaded again, as resume, approve and abort need
 * them. Secret extra vars were never stored: they must be given again with {@code -e}.
 */
final class LoadedRun {
  final RunStore store;
  final RunState state;
  final Playbook playbook;
  final Inventory inventory;
  final Map<String, String> extraVars;
  final TemplateEngine templates = new TemplateEngine();

  private LoadedRun(
      RunStore store,
      RunState state,
      Playbook playbook,
      Inventory inventory,
      Map<String, String> extraVars) {
    this.store = store;
    this.state = state;
    this.playbook = playbook;
    this.inventory = inventory;
    this.extraVars = extraVars;
  }

  /**
   * Loads a run.
   *
   * @param stateDir the state folder
   * @param runId the run
   * @param given {@code -e} values given now (override the stored ones)
   * @throws InputException if the run does not exist or a secret var is missing
   */
  static LoadedRun load(Path stateDir, String runId, Map<String, String> given) {
    RunStore store = new RunStore(stateDir);
    RunState state = store.load(runId);
    RunSpec spec = state.info().spec();
    for (String secret : spec.secretVarNames()) {
      if (!given.containsKey(secret)) {
        throw new InputException(
            "run "
                + runId
                + " was started with the secret variable '"
                + secret
                + "', which is never stored",
            "pass it again: -e " + secret + "=...");
      }
    }
    Map<String, String> extra = new LinkedHashMap<>(spec.extraVars());
    extra.putAll(given);
    Playbook pb = new PlaybookLoader().load(Path.of(spec.playbook()));
    Inventory inv = InventoryLoader.load(Path.of(spec.inventory()));
    return new LoadedRun(store, state, pb, inv, extra);
  }

  RunInfo info() {
    return state.info();
  }

  String id() {
    return state.info().id();
  }

  /** Refuses when another live process on this machine is executing the run. */
  void refuseIfRunningElsewhere(CommonOptions.State options) {
    RunInfo info = info();
    if (info.status() == RunStatus.RUNNING
        && info.controllerPid() != ProcessHandle.current().pid()
        && ProcessHandle.of(info.controllerPid()).map(ProcessHandle::isAlive).orElse(false)) {
      throw new OrchestratorException(
          ExitCode.REFUSED,
          "run "
              + id()
              + " is being executed by process "
              + info.controllerPid()
              + " on this machine",
          "wait for it to finish, or stop that process; then: " + options.resumeCommand(id()));
    }
  }

  /**
   * Plans the rest of the run against its checkpoints (the same tags and expensive choice as it
   * started with).
   */
  Plan plan(Set<String> rerun) {
    RunSpec spec = info().spec();
    return plan(
        new PlanOptions(spec.tags(), spec.skipTags(), spec.includeExpensive(), rerun, Map.of()));
  }

  Plan plan(PlanOptions options) {
    return new Planner(templates)
        .plan(
            playbook,
            inventory,
            extraVars,
            info().spec().limit(),
            id(),
            Optional.of(state),
            options);
  }
}
