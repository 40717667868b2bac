package dev.orchestrator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level command: only subcommands. */
@Command(
    name = "orchestrator",
    mixinStandardHelpOptions = true,
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
      SandboxCommand.class
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

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
