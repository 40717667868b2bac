package dev.orchestrator.cli;

import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.state.GateRecord;
import dev.orchestrator.state.RunJournal;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrator approve RUN_ID [--stage S]}: records the approval, then continues the run.
 */
@Command(
    name = "approve",
    description = "Approve the approval gate a run waits at, then continue the run.",
    footer = {
      "%nExamples:%n  orchestrator approve 20261121-051207-nextcloud-update-3fa2%n  orchestrator approve 20261121-051207-nextcloud-update-3fa2 --stage production --no-resume"
    })
final class ApproveCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run waiting for approval.")
  String runId;

  @Option(
      names = "--stage",
      paramLabel = "STAGE",
      description = "Approve only the gates of this stage.")
  String stage;

  @Option(
      names = "--no-resume",
      description = "Only record the approval; continue later with 'orchestrator resume'.")
  boolean noResume;

  @Mixin CommonOptions.Output output = new CommonOptions.Output();

  @Mixin CommonOptions.State state = new CommonOptions.State();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  @Mixin CommonOptions.ConnectionOptions connection = new CommonOptions.ConnectionOptions();

  @Override
  public Integer call() {
    LoadedRun run = LoadedRun.load(state.stateDir, runId, vars, connection);
    run.refuseIfRunningElsewhere(state);
    var gates = GateDecision.waitingApprovals(run.plan(Set.of()), runId, stage);
    try (RunJournal journal = run.store.open(runId)) {
      for (PlannedGate g : gates) {
        journal.record(
            new GateRecord(
                g.key(),
                dev.orchestrator.state.GateState.APPROVED,
                "approved by " + GateDecision.who(),
                Instant.now()));
        (output.json() ? System.err : System.out)
            .println("approved gate " + g.key() + ": " + g.gate().describe());
      }
    } catch (java.io.IOException e) {
      throw new dev.orchestrator.common.OrchestratorException(
          dev.orchestrator.common.ExitCode.INTERNAL_ERROR,
          "cannot record the approval: " + e.getMessage(),
          "check the state folder",
          e);
    }
    if (noResume) {
      System.out.println("continue with: " + state.resumeCommand(runId));
      return 0;
    }
    ResumeCommand resume = new ResumeCommand();
    resume.runId = runId;
    resume.output = output;
    resume.state = state;
    resume.vars = vars;
    resume.connection = connection;
    return resume.call();
  }
}
