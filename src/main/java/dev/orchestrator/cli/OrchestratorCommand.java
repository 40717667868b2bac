package dev.orchestrator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level command: only subcommands. */
@Command(
    name = "orchestrator",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT, // every command takes --help (and --version)
    version = "orchestrator 0.1.0",
    description = "Declarative, checkpointed, resumable updates of fleets over SSH.",
    subcommands = {
      RunCommand.class,
      ResumeCommand.class,
      ApproveCommand.class,
      RejectCommand.class,
      AbortCommand.class,
      UnlockCommand.class,
      PlanCommand.class,
      ValidateCommand.class,
      LogsCommand.class,
      StatusCommand.class,
      InventoryCommand.class,
      ReportCommand.class,
      SandboxCommand.class,
      CompletionCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:succeeded",
      "1:internal error (a bug: rerun with --stacktrace and report it)",
      "2:invalid input or usage; nothing was run",
      "3:paused (failed hosts or the failure budget); continue with 'orchestrator resume RUN_ID'",
      "4:refused (the run is held by another controller)",
      "5:aborted"
    })
public final class OrchestratorCommand implements Runnable {
  /** Whether to print stack traces with errors. */
  @Option(
      names = "--stacktrace",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error.")
  boolean stacktrace;

  /** {@code --no-progress}: plain line-per-event output even on a terminal. */
  @Option(
      names = "--no-progress",
      scope = ScopeType.INHERIT,
      description =
          "No live progress view: one line per event, as when the output is not a terminal.")
  void noProgress(boolean off) {
    Wiring.liveProgress = !off;
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
