package dev.orchestrator.cli;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.report.HtmlReport;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

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

  @Override
  public Integer call() {
    StateStore store = new RunStore(state.stateDir);
    store.load(runId); // an unknown run id is reported with the runs there are
    try {
      System.out.println(HtmlReport.write(store, runId));
    } catch (IOException e) {
      throw new OrchestratorException(
          ExitCode.INTERNAL_ERROR,
          "cannot write the report of run " + runId + ": " + e.getMessage(),
          "check the permissions of "
              + store.localDir(runId).map(Path::toString).orElse(store.location()),
          e);
    }
    return ExitCode.SUCCEEDED.code();
  }
}
