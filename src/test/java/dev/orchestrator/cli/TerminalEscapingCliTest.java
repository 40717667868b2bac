package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finding's reproduction end to end: a play and a task named with escape sequences, a host
 * printing them, an {@code -i} value carrying them. The console, {@code logs}, {@code status} and
 * the error handler show them escaped ({@code \u001b}); no ESC but our own colours reaches the
 * terminal.
 */
class TerminalEscapingCliTest {
  private Cli.Session cli;

  @TempDir Path dir;

  @BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  @Test
  void logsAndErrorsShowHostileValuesEscaped() throws Exception {
    // given an Ansible play whose names and output carry escape sequences
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        - name: "PLAY\\e]0;TITLE\\a\\e[2J"
          hosts: all
          gather_facts: false
          tasks:
            - name: "T\\e[31mRED\\r\\u202eevil"
              shell: printf 'out\\033]0;x\\007\\n'
              tags: ["t\\e[1m"]
        """);
    Files.writeString(dir.resolve("inv.ini"), "h1 ansible_connection=local\n");
    String state = dir.resolve("state").toString();
    // when it runs, and its logs and status are shown
    Cli.Result run =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.ini").toString(),
            "--state-dir",
            state,
            "--no-progress");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    String runId =
        run.out()
            .lines()
            .filter(l -> l.startsWith("starting run "))
            .findFirst()
            .orElseThrow()
            .split(" ")[2];
    Cli.Result logs = cli.run("logs", runId, "--host", "h1", "--state-dir", state);
    Cli.Result status = cli.run("status", runId, "--state-dir", state);
    Cli.Result listing =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.ini").toString(),
            "--list-tasks",
            "--list-tags");
    // and an inventory value with ESC is refused
    Cli.Result error =
        cli.run("plan", dir.resolve("pb.yml").toString(), "-i", "esc\u001b]0;x\u0007,,");
    // then each shows the sequences escaped, never raw
    assertTrue(run.out().contains("== stage PLAY\\u001b]0;TITLE\\u0007\\u001b[2J"), run.out());
    assertTrue(logs.out().contains("out\\u001b]0;x\\u0007"), logs.out());
    for (Cli.Result r : new Cli.Result[] {run, logs, status, listing, error}) {
      assertFalse((r.out() + r.err()).contains("\u001b"), r.out() + r.err());
      assertFalse((r.out() + r.err()).contains("\u202e"), r.out() + r.err());
    }
  }
}
