package dev.orchestrator.cli;

import dev.orchestrator.app.ConnectionSettings;
import dev.orchestrator.app.DecidedGates;
import dev.orchestrator.app.GateChoice;
import dev.orchestrator.app.StoredRunRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code orchestrator reject RUN_ID}: refuses the approval a run waits for, and ends the run. */
@Command(
    name = "reject",
    description = "Reject the approval gate a run waits at: the run ends (aborted).",
    footer = {
      "%nExample:%n  orchestrator reject 20261121-051207-nextcloud-update-3fa2 --reason \"QA found a broken app\""
    })
final class RejectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run waiting for approval.")
  String runId;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the record.")
  String reason = "";

  @Mixin CommonOptions.State state = new CommonOptions.State();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    DecidedGates decided =
        top.service()
            .decide(
                new StoredRunRequest(
                    runId,
                    state.location(),
                    vars.input(),
                    ConnectionSettings.none(),
                    state.hints()),
                new GateChoice.Reject(reason),
                dev.orchestrator.app.Actor.local(),
                java.util.Optional.empty());
    spec.commandLine()
        .getOut()
        .println(
            "run "
                + runId
                + " rejected at gate "
                + decided.gates().get(0).key()
                + " and aborted. Hosts already updated stay as they are;"
                + " to undo them: "
                + state.command("abort", runId)
                + " --rollback");
    return 0;
  }
}
