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
import java.util.List;
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
  final Map<String, Object> extraVars;
  final java.util.Set<String> secretNames;
  final TemplateEngine templates = new TemplateEngine();

  private LoadedRun(
      RunStore store,
      RunState state,
      Playbook playbook,
      Inventory inventory,
      Map<String, Object> extraVars,
      java.util.Set<String> secretNames) {
    this.store = store;
    this.state = state;
    this.playbook = playbook;
    this.inventory = inventory;
    this.extraVars = extraVars;
    this.secretNames = secretNames;
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
    return load(stateDir, runId, given, List.of(), List.of());
  }

  /**
   * Loads a run, reading its vars and secrets files again (or the ones given now instead).
   *
   * @throws InputException if the run does not exist, a secret var is missing or a file is gone
   */
  static LoadedRun load(
      Path stateDir,
      String runId,
      Map<String, String> given,
      List<Path> varsFiles,
      List<Path> secretsFiles) {
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
    List<Path> vf =
        varsFiles.isEmpty() ? spec.varsFiles().stream().map(Path::of).toList() : varsFiles;
    List<Path> sf =
        secretsFiles.isEmpty() ? spec.secretsFiles().stream().map(Path::of).toList() : secretsFiles;
    CommonOptions.Vars.FileVars files = CommonOptions.Vars.readFiles(vf, sf);
    Map<String, Object> extra = new LinkedHashMap<>(files.vars());
    extra.putAll(spec.extraVars());
    extra.putAll(given);
    Playbook pb = new PlaybookLoader().load(Path.of(spec.playbook()));
    Inventory inv = InventoryLoader.load(Path.of(spec.inventory()));
    java.util.Set<String> secretNames = new java.util.HashSet<>(files.secretNames());
    secretNames.addAll(pb.secretVars());
    return new LoadedRun(store, state, pb, inv, extra, secretNames);
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
