package dev.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code orchestrator report RUN_ID}: (re)writes the run's self-contained HTML report ({@code
 * report.html} in the run's folder; every run writes it when it stops) and prints its path.
 */
@Command(
    name = "report",
    description =
        "Write the HTML report of a run (timeline per host, hosts' final states, each step's"
            + " output) into the run's folder and print its path.",
    footer = {
      "%nExample:%n  orchestrator report 20261121-051207-nextcloud-update-3fa2"
          + "%n  xdg-open \"$(orchestrator report 20261121-051207-nextcloud-update-3fa2)\""
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run.")
  String runId;

  @Mixin CommonOptions.State state = new CommonOptions.State();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(top.service().report(state.location(), runId));
    return ExitCode.SUCCEEDED.code();
  }
}
