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
      WorkerCommand.class,
      ServeCommand.class,
      UsersCommand.class,
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
      "5:aborted",
      "6:the state database stayed unreachable during a run (ORCHESTRATOR_DB_OUTAGE); resume once it is back"
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
    noProgress = off;
  }

  /** Whether {@code --no-progress} was given (a setter: it may be given after the subcommand). */
  private boolean noProgress;

  /** Whether {@code --no-progress} was given on this command line. */
  boolean progressOff() {
    return noProgress;
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private final Terminal terminal;
  private final dev.orchestrator.app.Orchestrator service;

  /**
   * Creates the command.
   *
   * @param terminal where standard output goes
   * @param service the application service every subcommand calls
   */
  OrchestratorCommand(Terminal terminal, dev.orchestrator.app.Orchestrator service) {
    this.terminal = terminal;
    this.service = service;
  }

  /** The application service. */
  dev.orchestrator.app.Orchestrator service() {
    return service;
  }

  /** Where standard output goes. */
  Terminal terminal() {
    return terminal;
  }

  /**
   * The event renderer for an output format, writing to {@code out}: JSON lines; on the process's
   * terminal the live view (unless {@code --no-progress}); else plain lines, coloured as {@link
   * Terminal#colour} decides, whether the live view is used or not. The renderer is chosen at the
   * first event: a command refused before it runs anything never opens the live view.
   */
  dev.orchestrator.report.EventSink sink(CommonOptions.Format format, java.io.PrintWriter out) {
    if (format == CommonOptions.Format.json) {
      return new dev.orchestrator.report.JsonEventRenderer(out);
    }
    dev.orchestrator.report.EventSink[] chosen = new dev.orchestrator.report.EventSink[1];
    return event -> {
      dev.orchestrator.report.EventSink sink;
      synchronized (chosen) {
        if (chosen[0] == null) {
          chosen[0] = textSink(out);
        }
        sink = chosen[0];
      }
      sink.emit(event);
    };
  }

  private dev.orchestrator.report.EventSink textSink(java.io.PrintWriter out) {
    boolean colour = terminal.processStdout() && terminal.colour().getAsBoolean();
    if (!noProgress && terminal.processStdout()) {
      java.util.Optional<dev.orchestrator.report.LiveRenderer> live =
          dev.orchestrator.report.LiveRenderer.open(colour);
      if (live.isPresent()) {
        return live.get();
      }
    }
    return dev.orchestrator.report.ConsoleRenderer.plain(out, colour);
  }

  /** What the service writes besides events: this command line's out and err. */
  dev.orchestrator.app.Console console() {
    return console(spec.commandLine());
  }

  /** What the service writes besides events: a (sub)command line's out and err. */
  dev.orchestrator.app.Console console(picocli.CommandLine cl) {
    return new dev.orchestrator.app.Console(cl.getOut(), cl.getErr());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
