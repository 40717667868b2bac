package dev.orchestrator.cli;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.HostLease;
import dev.orchestrator.execute.RunExecutor;
import dev.orchestrator.execute.RunResult;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.state.LeaseState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.TransportException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrator abort RUN_ID [--rollback]}: stops a run for good and releases its leases.
 * With {@code --rollback} the playbook's rollback steps run on every host that got past the step
 * marked {@code rollback_from: true}, checkpointed like any step; a rollback that fails can be
 * continued by the same command (its hosts keep their leases until then). A host that cannot be
 * reached keeps its lease, recorded as unreleased, with the {@code unlock} command that releases
 * it. Exit code 5 (aborted) once the run is aborted, rolled back or not; 3 while a rollback is
 * incomplete (run the command again); 4 when another run holds a host.
 */
@Command(
    name = "abort",
    description =
        "Stop a paused run for good; with --rollback, run the rollback steps on the hosts that need them.",
    footer = {
      "%nExamples:%n  orchestrator abort 20261121-051207-nextcloud-update-3fa2%n  orchestrator abort 20261121-051207-nextcloud-update-3fa2 --rollback"
    })
final class AbortCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run to abort.")
  String runId;

  @Option(
      names = "--rollback",
      description =
          "Run the playbook's rollback steps on every host past the 'rollback_from' step.")
  boolean rollback;

  @Mixin CommonOptions.Output output = new CommonOptions.Output();

  @Mixin CommonOptions.State state = new CommonOptions.State();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  @Mixin CommonOptions.ConnectionOptions connection = new CommonOptions.ConnectionOptions();

  @Override
  public Integer call() {
    LoadedRun run = LoadedRun.load(state.stateDir, runId, vars, connection);
    run.refuseIfRunningElsewhere(state);
    RunStatus status = run.info().status();
    if (status == RunStatus.SUCCEEDED && !rollback) {
      throw new InputException(
          "run " + runId + " has succeeded; there is nothing to stop",
          "to undo it, use: " + state.command("abort", runId) + " --rollback");
    }
    if (status == RunStatus.ABORTED && !rollback) {
      System.out.println("run " + runId + " is already aborted: " + run.info().reason());
      try (RunJournal journal = run.store.open(runId)) {
        releaseLeases(run, journal, java.util.Set.of());
      } catch (java.io.IOException e) {
        throw new OrchestratorException(
            ExitCode.INTERNAL_ERROR,
            "cannot record the released leases: " + e.getMessage(),
            "check the state folder",
            e);
      }
      return ExitCode.ABORTED.code();
    }
    if (!rollback) {
      try (RunJournal journal = run.store.open(runId)) {
        journal.status(RunStatus.ABORTED, "aborted by " + GateDecision.who());
        releaseLeases(run, journal, java.util.Set.of());
      } catch (java.io.IOException e) {
        throw new OrchestratorException(
            ExitCode.INTERNAL_ERROR,
            "cannot record the abort: " + e.getMessage(),
            "check the state folder",
            e);
      }
      System.out.println(
          "run "
              + runId
              + " aborted; its hosts stay as they are (paused hosts keep their checkpoints for inspection).");
      return ExitCode.ABORTED.code();
    }
    Plan plan =
        new Planner(run.templates)
            .planRollback(run.playbook, run.inventory, run.extraVars, runId, run.state);
    Wiring.checkConnectionInputs(plan);
    Wiring.checkArtifactInputs(plan, run.templates);
    RunSpec spec = run.inputs.spec();
    Connector connector = Wiring.connector(spec);
    RunJournal journal = run.store.open(runId);
    try {
      Wiring.recordOverrides(journal, run.inputs);
      String again = state.command("abort", runId) + " --rollback";
      RunResult result =
          new RunExecutor(
                  connector,
                  Wiring.sink(output.format, System.out),
                  run.templates,
                  Wiring.settings(
                      spec.forks(),
                      dev.orchestrator.execute.ApprovalPolicy.WAIT_FOR_PERSON,
                      false,
                      run.secretNames,
                      state.leaseCommands(
                          Path.of(spec.inventory()), spec.knownHosts().map(Path::of)),
                      RunExecutor.NextCommands.same(again)))
              .execute(
                  plan,
                  journal,
                  true,
                  new dev.orchestrator.rollout.RunMode.Rollback("aborted by " + GateDecision.who()),
                  new LinkedHashMap<>(run.extraVars),
                  dev.orchestrator.execute.RunArtifacts.NONE);
      // Hosts the rollback does not need are free now; those it paused on keep their lease.
      releaseLeases(
          run,
          journal,
          plan.hosts()
              .filter(dev.orchestrator.plan.PlannedHost::needsWork)
              .map(h -> h.host().name())
              .collect(java.util.stream.Collectors.toSet()));
      // The executor recorded the run aborted, rolled back or not, and said so.
      if (result.refused()) {
        return ExitCode.REFUSED.code();
      }
      return (result.rolledBack() ? ExitCode.ABORTED : ExitCode.PAUSED).code();
    } finally {
      Wiring.close(journal);
    }
  }

  /**
   * Releases the leases the run still holds (its journal says active, paused or unreleased), except
   * on {@code keep}, and records each in the journal. A host that cannot be reached keeps its
   * lease: recorded as unreleased, with the {@code unlock} command that releases it later (running
   * this abort again also retries).
   */
  private void releaseLeases(LoadedRun run, RunJournal journal, java.util.Set<String> keep) {
    RunSpec spec = run.info().spec();
    java.util.List<String> hosts =
        run.store.load(runId).leases().entrySet().stream()
            .filter(e -> !keep.contains(e.getKey()))
            .filter(e -> e.getValue().state().held())
            .map(java.util.Map.Entry::getKey)
            .toList();
    Connector connector = null;
    for (String host : hosts) {
      String unlock =
          state.unlockCommand(host, Path.of(spec.inventory()), spec.knownHosts().map(Path::of));
      java.util.Optional<dev.orchestrator.inventory.Host> h = run.inventory.host(host);
      if (h.isEmpty()) {
        String why =
            "the run aborted, but "
                + host
                + " is no longer in the inventory "
                + spec.inventory()
                + ", so its lease was not released; add it back and run: "
                + unlock;
        journal.recordLease(host, LeaseState.UNRELEASED, why);
        System.out.println(why);
        continue;
      }
      String path;
      HostLease.Check check;
      try {
        path = HostLease.path(host, h.get().vars());
        if (connector == null) {
          connector = Wiring.connector(spec.knownHosts().map(Path::of), spec.acceptNewHostKeys());
        }
        try (Connection c =
            connector.open(host, dev.orchestrator.execute.Endpoints.of(h.get().connection()))) {
          check = HostLease.release(c, runId, host, path);
        }
      } catch (TransportException | OrchestratorException e) {
        check = new HostLease.Check.Failed("cannot reach " + host + ": " + e.getMessage());
      }
      if (check instanceof HostLease.Check.Ours) {
        journal.recordLease(
            host, LeaseState.RELEASED, "released by " + GateDecision.who() + " (abort)");
        System.out.println("released the lease of " + host + ".");
      } else if (check instanceof HostLease.Check.Lost lost) {
        journal.recordLease(
            host,
            LeaseState.RELEASED,
            "not held by this run any more"
                + (lost.line().isEmpty() ? "" : " (the lease file names: " + lost.line() + ")"));
      } else if (check instanceof HostLease.Check.Failed f) {
        String why =
            "could not release the lease of "
                + host
                + ": "
                + f.why()
                + "; once it is reachable, release it with: "
                + unlock
                + " (or run this abort again)";
        journal.recordLease(host, LeaseState.UNRELEASED, why);
        System.out.println(why);
      }
    }
  }
}
