package dev.orchestrator.cli;

import picocli.CommandLine;

/** The {@code orchestrator} command's entry point. */
public final class Main {
  private Main() {}

  /**
   * Runs the CLI and exits with its exit code (see {@link dev.orchestrator.common.ExitCode}).
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the CLI without exiting; for tests and embedding.
   *
   * @param args the command-line arguments
   * @return the exit code
   */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** Builds the configured picocli command line (one exception handler for every command). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new OrchestratorCommand());
    ErrorHandler handler = new ErrorHandler();
    cl.setExecutionExceptionHandler(handler);
    cl.setParameterExceptionHandler(handler);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // '@FILE' is a host list for --limit (Ansible's), never a picocli argument file: expanding it
    // read the host list as arguments, and a folder there was an internal error
    cl.setExpandAtFiles(false);
    return cl;
  }
}
