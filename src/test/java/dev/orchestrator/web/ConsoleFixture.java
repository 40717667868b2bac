package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.app.Console;
import dev.orchestrator.app.Orchestrator;
import dev.orchestrator.app.StateLocation;
import dev.orchestrator.cli.Cli;
import dev.orchestrator.playbook.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real run paused at a production approval gate ({@code role: approver}, {@code
 * distinct_from_starter: true}), started by the CLI in-process as this machine's user over local
 * hosts (one of them named as an HTML injection, its step printing a script tag), and the web
 * console serving it on a free loopback port with a users file: alice (approver), vera (viewer),
 * oscar (operator) and the starter themself as an approver; its plan form offers the files of
 * folder {@code ops} (the playbook and inventory).
 */
final class ConsoleFixture implements AutoCloseable {
  /**
   * The issue's {@code <img src=x onerror=alert(1)>} without its spaces (the inventory refuses
   * whitespace in host names): the same injection, as browsers read {@code /} between attributes.
   */
  static final String HOSTILE_HOST = "<img/src=x/onerror=alert(1)>";

  static final String SCRIPT_OUTPUT = "<script>alert(document.cookie)</script>";
  static final String PASSWORD = "correct horse battery";
  static final String STARTER = dev.orchestrator.app.Actor.osUser();

  static final String PLAYBOOK =
      """
      name: console-test
      stages:
        - name: qa
          hosts: qa
        - name: production
          hosts: production
          gates:
            - approval: "QA looks good: promote to production?"
              role: approver
              distinct_from_starter: true
      steps:
        - id: hello
          shell: printf '%s\\n' '<script>alert(document.cookie)</script>' '<img src=x onerror=alert(1)>' && echo hello {{ inventory_hostname | quote }}
        - id: done
          shell: test ! -e "$HOME/fail-{{ inventory_hostname }}" && echo done
      """;

  final Path root;

  /** The folder whose playbooks and inventories the plan form offers ({@code --playbooks}). */
  final Path ops;

  final Path home;
  final Path state;
  final Path users;
  final Cli.Session cli;
  final String runId;
  final WebConsole console;
  final StringWriter serverLog = new StringWriter();
  final String token;

  ConsoleFixture(Path root) throws IOException {
    this(root, List.of());
  }

  /**
   * As above, with step {@code done} failing on {@code failing} hosts (a marker file in the local
   * hosts' home), so that the run pauses there first.
   */
  ConsoleFixture(Path root, List<String> failing) throws IOException {
    this.root = root;
    home = Files.createDirectories(root.resolve("home"));
    for (String h : failing) {
      Files.writeString(home.resolve("fail-" + h), "");
    }
    state = root.resolve("state");
    cli = Cli.withLocalHome(home);
    ops = Files.createDirectories(root.resolve("ops"));
    Path playbook = ops.resolve("console.yml");
    Files.writeString(playbook, PLAYBOOK);
    Path inventory = ops.resolve("inventory.yml");
    Files.writeString(
        inventory,
        """
        all:
          children:
            qa:
              hosts:
                q1: {ansible_connection: local}
            production:
              hosts:
                "%s": {ansible_connection: local}
                p2: {ansible_connection: local}
        """
            .formatted(HOSTILE_HOST));
    Cli.Result r =
        cli.run(
            "run",
            playbook.toString(),
            "-i",
            inventory.toString(),
            "--state-dir",
            state.toString());
    assertEquals(3, r.exitCode(), r.out() + r.err());
    runId = r.runId();
    users = root.resolve("users.yml");
    Users u = Users.loadOrEmpty(users);
    for (var e :
        List.of(
            java.util.Map.entry("alice", Role.APPROVER),
            java.util.Map.entry("vera", Role.VIEWER),
            java.util.Map.entry("oscar", Role.OPERATOR),
            java.util.Map.entry(STARTER, Role.APPROVER))) {
      u = u.with(e.getKey(), e.getValue(), PASSWORD);
    }
    var withToken = u.withNewToken("alice");
    withToken.getKey().save(users);
    token = withToken.getValue();
    console =
        WebConsole.start(
            new Orchestrator(home),
            new WebConsole.Settings(
                StateLocation.folder(state),
                users,
                "127.0.0.1",
                0,
                dev.orchestrator.app.TestHints.PLAIN,
                new Console(new PrintWriter(serverLog, true), new PrintWriter(serverLog, true)),
                List.of(),
                List.of(ops),
                List.of(ops)));
  }

  String url(String path) {
    return console.url() + (path.startsWith("/") ? path.substring(1) : path);
  }

  @Override
  public void close() {
    console.close();
  }
}
