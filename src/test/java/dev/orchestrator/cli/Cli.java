package dev.orchestrator.cli;

/** Runs the CLI in-process and captures what it prints through its own writers. */
public final class Cli {
  /**
   * The outcome of one invocation.
   *
   * @param exitCode the exit code
   * @param out what went to stdout
   * @param err what went to stderr
   */
  public record Result(int exitCode, String out, String err) {
    /** The run id the console output names ("starting run ID" / "resuming run ID"). */
    public String runId() {
      int at = out.indexOf("run ") + 4;
      return out.substring(at, out.indexOf(' ', at));
    }
  }

  /**
   * Starts the CLI in its own JVM (a controller that a test can kill), output to {@code log}.
   *
   * @param log where its stdout and stderr go
   * @param args the arguments
   */
  public static Process controller(java.nio.file.Path log, String... args)
      throws java.io.IOException {
    return new ProcessBuilder(controllerCommand(args))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * The arguments of {@code run PLAYBOOK} against a test fleet (its inventory and known_hosts),
   * with a state folder and more arguments.
   */
  public static String[] runArgs(
      java.nio.file.Path playbook,
      dev.orchestrator.sandbox.TestFleet fleet,
      java.nio.file.Path stateDir,
      String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "run",
                playbook.toString(),
                "-i",
                fleet.inventory().toString(),
                "--known-hosts",
                fleet.knownHosts().toString(),
                "--state-dir",
                stateDir.toString()));
    args.addAll(java.util.List.of(extra));
    return args.toArray(String[]::new);
  }

  /**
   * The command line that starts the CLI in its own JVM with the tests' class path and the JVM
   * flags of the {@code ./orchestrator} launcher (C1 only, the serial collector).
   */
  public static java.util.List<String> controllerCommand(String... args) {
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // the launcher's flags (./orchestrator): tests run the JVM users run
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.orchestrator.cli.Main"));
    command.addAll(java.util.List.of(args));
    return command;
  }

  private Cli() {}

  /** Runs {@code orchestrator ARGS...}, local hosts in the user's home. Thread-safe. */
  public static Result run(String... args) {
    return withLocalHome(java.nio.file.Path.of(System.getProperty("user.home"))).run(args);
  }

  /**
   * A CLI whose {@code connection: local} hosts run in {@code home} (their leases live there).
   *
   * @param home the local hosts' home folder
   */
  public static Session withLocalHome(java.nio.file.Path home) {
    return new Session(home);
  }

  /** Runs the CLI in-process with its own output writers (no System.out swap). */
  public static final class Session {
    private final java.nio.file.Path home;

    private Session(java.nio.file.Path home) {
      this.home = home;
    }

    /** Runs {@code orchestrator ARGS...}. */
    public Result run(String... args) {
      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      int code =
          Main.run(
              home, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
      return new Result(code, out.toString(), err.toString());
    }
  }
}
