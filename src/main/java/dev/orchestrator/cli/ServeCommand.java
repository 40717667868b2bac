package dev.orchestrator.cli;

import dev.orchestrator.common.InputException;
import dev.orchestrator.web.WebConsole;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code orchestrator serve}: the web console and its JSON API (issue 16). */
@Command(
    name = "serve",
    description = {
      "Serve the web console and its JSON API (/api/v1/) over the state store: runs, a run's live"
          + " view, approvals, resume and abort, for the users of the users file.",
      "Listens on loopback by default. On another address the session cookie is Secure: put the"
          + " console behind an HTTPS reverse proxy. Runs until stopped (SIGTERM, Ctrl-C)."
    },
    footer = {
      "%nExamples:%n  orchestrator users add alice --role approver%n  orchestrator serve --playbooks /srv/ops/playbooks --inventories /srv/ops/inventory%n  orchestrator serve --listen 127.0.0.1:9090 --state postgresql://ops@db:5432/orchestrator"
    })
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8080",
      description = "Where to listen (default: ${DEFAULT-VALUE}); port 0 picks a free one.")
  String listen;

  @Option(
      names = "--users",
      paramLabel = "FILE",
      description =
          "The users file (default: users.yml in the state folder); see 'orchestrator users'.")
  Path users;

  @Option(
      names = "--trusted-proxy",
      paramLabel = "ADDRESS",
      description =
          "The address of a reverse proxy in front of the console, whose X-Forwarded-For names"
              + " the client (records, login limit). Repeatable.")
  java.util.List<String> trustedProxies = new java.util.ArrayList<>();

  @Option(
      names = "--playbooks",
      paramLabel = "DIR",
      description =
          "A folder whose playbooks (*.yml, *.yaml; hidden files and folders left out) the plan"
              + " form offers. Repeatable. Without it the form plans stored runs only.")
  java.util.List<Path> playbooks = new java.util.ArrayList<>();

  @Option(
      names = "--inventories",
      paramLabel = "DIR",
      description =
          "A folder whose inventories (*.yml, *.yaml, *.ini, hosts) the plan form offers."
              + " Repeatable (default: the --playbooks folders).")
  java.util.List<Path> inventories = new java.util.ArrayList<>();

  @Mixin CommonOptions.State state = new CommonOptions.State();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    var cl = spec.commandLine();
    Listen where = Listen.parse(listen);
    Path usersFile = users != null ? users : state.stateDir.resolve("users.yml");
    folders(playbooks, "--playbooks");
    folders(inventories, "--inventories");
    WebConsole console =
        WebConsole.start(
            top.service(),
            new WebConsole.Settings(
                state.location(),
                usersFile,
                where.host(),
                where.port(),
                state.hints(),
                top.console(cl),
                trustedProxies,
                playbooks,
                inventories.isEmpty() ? playbooks : inventories));
    CountDownLatch stopped = closeOnStop(console, "serve-stop");
    cl.getOut().println("orchestrator serve: the web console is at " + console.url());
    cl.getOut()
        .println(
            "  users: " + usersFile.toAbsolutePath() + "; state: " + state.location().describe());
    if (!WebConsole.loopbackAddress(where.host())) {
      cl.getErr()
          .println(
              "orchestrator serve: listening beyond loopback: session cookies are Secure, serve"
                  + " the console through an HTTPS reverse proxy");
    }
    cl.getOut().flush();
    stopped.await();
    return 0;
  }

  /**
   * Closes {@code console} when the JVM is stopped (SIGTERM, Ctrl-C), in a shutdown hook named
   * {@code threadName}; also for {@code sandbox --serve}.
   *
   * @return counted down once the console is closed: await it to serve until stopped
   */
  static CountDownLatch closeOnStop(WebConsole console, String threadName) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  console.close();
                  stopped.countDown();
                },
                threadName));
    return stopped;
  }

  /** Refuses a {@code --playbooks} or {@code --inventories} value that is not a folder. */
  private static void folders(java.util.List<Path> dirs, String option) {
    for (Path d : dirs) {
      if (!java.nio.file.Files.isDirectory(d)) {
        throw new InputException(
            option
                + " "
                + d
                + (java.nio.file.Files.exists(d) ? " is not a folder" : " does not exist"),
            "name a folder of the controller, e.g. " + option + " /etc/orchestrator/playbooks");
      }
    }
  }

  /** {@code HOST:PORT}, the host possibly an IPv6 literal in brackets. */
  record Listen(String host, int port) {
    static Listen parse(String text) {
      int colon = text.lastIndexOf(':');
      String host = colon < 0 ? "" : text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (host.isEmpty() || port < 0 || port > 65535) {
        throw new InputException(
            "--listen " + text + " is not HOST:PORT",
            "write e.g. --listen 127.0.0.1:8080 (port 0 picks a free one)");
      }
      return new Listen(host, port);
    }
  }
}
