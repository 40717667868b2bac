package dev.orchestrator.cli;

import dev.orchestrator.app.DecidedGates;
import dev.orchestrator.app.GateChoice;
import dev.orchestrator.app.ResumeRequest;
import dev.orchestrator.app.StoredRunRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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

  @Mixin CommonOptions.StoredRun stored = new CommonOptions.StoredRun();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    StoredRunRequest request = stored.request(runId);
    DecidedGates decided =
        top.service()
            .decide(
                request,
                new GateChoice.Approve(Optional.ofNullable(stage)),
                dev.orchestrator.app.Actor.local(),
                Optional.empty());
    java.io.PrintWriter out = spec.commandLine().getOut();
    for (DecidedGates.Gate g : decided.gates()) {
      (stored.output.json() ? spec.commandLine().getErr() : out)
          .println("approved gate " + g.key() + ": " + g.description());
    }
    if (noResume) {
      out.println("continue with: " + stored.state.resumeCommand(runId));
      return 0;
    }
    return ResumeCommand.resume(
        top, spec.commandLine(), ResumeRequest.plain(request), stored.output.format);
  }
}
