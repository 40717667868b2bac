package dev.orchestrator.cli;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.RunExecutor;
import dev.orchestrator.execute.RunResult;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunSpec;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.transport.Connector;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrator abort RUN_ID [--rollback]}: stops a run for good. With {@code --rollback} the
 * playbook's rollback steps run on every host that got past the step marked {@code rollback_from:
 * true}, checkpointed like any step; a rollback that fails can be continued by the same command.
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
      return 0;
    }
    if (!rollback) {
      try (RunJournal journal = run.store.open(runId)) {
        journal.status(RunStatus.ABORTED, "aborted by " + GateDecision.who());
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
      return 0;
    }
    Plan plan =
        new Planner(run.templates)
            .planRollback(run.playbook, run.inventory, run.extraVars, runId, run.state);
    Wiring.checkConnectionInputs(plan);
    RunSpec spec = run.inputs.spec();
    Connector connector = Wiring.connector(spec);
    RunJournal journal = run.store.open(runId);
    try {
      Wiring.recordOverrides(journal, run.inputs);
      String again = state.command("abort", runId) + " --rollback";
      RunResult result =
          new RunExecutor(
                  connector, Wiring.sink(output.format, System.out), run.templates, spec.forks())
              .withSecretNames(run.secretNames)
              .execute(
                  plan,
                  journal,
                  true,
                  h -> true,
                  new RunExecutor.NextCommands(again, again),
                  new LinkedHashMap<>(run.extraVars));
      int hosts = (int) plan.hosts().count();
      if (result.status() == RunStatus.SUCCEEDED) {
        journal.status(
            RunStatus.ABORTED,
            "aborted by " + GateDecision.who() + "; rolled back " + hosts + " host(s)");
        return 0;
      }
      journal.status(
          RunStatus.ABORTED,
          "aborted by "
              + GateDecision.who()
              + "; rollback incomplete: "
              + String.join(", ", result.pausedHosts())
              + "; fix the cause, then: "
              + again);
      return ExitCode.PAUSED.code();
    } finally {
      Wiring.close(journal);
    }
  }
}
