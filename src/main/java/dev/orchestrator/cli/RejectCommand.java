package dev.orchestrator.cli;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

  @Override
  public Integer call() {
    LoadedRun run = LoadedRun.load(state.stateDir, runId, vars);
    run.refuseIfRunningElsewhere(state);
    var gates = GateDecision.waitingApprovals(run.plan(Set.of()), runId, null);
    try (RunJournal journal = run.store.open(runId)) {
      String why = "rejected by " + GateDecision.who() + (reason.isEmpty() ? "" : ": " + reason);
      for (PlannedGate g : gates) {
        journal.record(
            new GateRecord(g.key(), dev.orchestrator.state.GateState.REJECTED, why, Instant.now()));
      }
      journal.status(RunStatus.ABORTED, "approval gate " + gates.get(0).key() + " " + why);
    } catch (IOException e) {
      throw new OrchestratorException(
          ExitCode.INTERNAL_ERROR,
          "cannot record the rejection: " + e.getMessage(),
          "check the state folder",
          e);
    }
    System.out.println(
        "run "
            + runId
            + " rejected at gate "
            + gates.get(0).key()
            + " and aborted. Hosts already updated stay as they are;"
            + " to undo them: "
            + state.command("abort", runId)
            + " --rollback");
    return 0;
  }
}
