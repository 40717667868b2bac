package dev.orchestrator.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** The {@code orchestrator} command's entry point. */
public final class Main {
  private Main() {}

  /**
   * Runs the CLI on the process's standard streams and exits with its exit code (see {@link
   * ExitCode}).
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err), true);
    int code =
        run(
            Terminal.ofProcess(),
            localHome(System.getenv(), System.getProperty("user.home")),
            out,
            err,
            args);
    System.exit(code);
  }

  /**
   * The home of {@code connection: local} hosts, as the shell's {@code ~} is: {@code $HOME} when it
   * is set to an absolute path, else the account's home ({@code user.home}, which Java takes from
   * the password database, not from {@code $HOME}).
   *
   * @param env the process environment
   * @param userHome the {@code user.home} property
   */
  static Path localHome(java.util.Map<String, String> env, String userHome) {
    String home = env.get("HOME");
    if (home != null && !home.isBlank() && home.startsWith("/")) {
      return Path.of(home);
    }
    return Path.of(userHome);
  }

  /**
   * Runs the CLI without exiting, its output captured by the caller (tests, embedding): no live
   * view, no colours.
   *
   * @param localHome where {@code connection: local} hosts run their commands
   * @param out the commands' standard output
   * @param err the commands' error output
   * @param args the command-line arguments
   * @return the exit code
   */
  public static int run(Path localHome, PrintWriter out, PrintWriter err, String... args) {
    return run(Terminal.CAPTURED, localHome, out, err, args);
  }

  /** As {@link #run(Path, PrintWriter, PrintWriter, String...)}, with this terminal. */
  static int run(
      Terminal terminal, Path localHome, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(terminal, localHome);
    cl.setOut(out);
    cl.setErr(err);
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Builds the configured picocli command line for parsing only (captured output, user home). */
  public static CommandLine commandLine() {
    return commandLine(Terminal.CAPTURED, Path.of(System.getProperty("user.home")));
  }

  /** Builds the configured picocli command line (one exception handler for every command). */
  static CommandLine commandLine(Terminal terminal, Path localHome) {
    CommandLine cl =
        new CommandLine(
            new OrchestratorCommand(terminal, new dev.orchestrator.app.Orchestrator(localHome)));
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
