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
 * What {@code abort} says and exits with (issue 12, "Bugs found"): {@code abort --rollback} used to
 * print "resuming run … succeeded" and exit 0 while {@code status} said aborted. Now the output
 * says the run is rolled back and aborted, and the exit code is 5 (aborted) per the README's table;
 * a rollback that fails says it is incomplete and exits 3 (run it again).
 */
class AbortOutcomeCliTest {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  @TempDir Path dir;

  @BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  private Cli.Result cli(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--state-dir";
    all[args.length + 1] = dir.resolve("state").toString();
    return cli.run(all);
  }

  /** A run that finished on h1: an update past the rollback mark, and a rollback that undoes it. */
  private String finishedRun(String rollbackCommand) throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "name: demo\n"
            + "steps:\n"
            + "  - id: change\n"
            + "    rollback_from: true\n"
            + "    shell: touch "
            + dir.resolve("changed")
            + "\n"
            + "rollback:\n"
            + "  - id: undo\n"
            + "    shell: "
            + rollbackCommand
            + "\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result r =
        cli("run", dir.resolve("pb.yml").toString(), "-i", dir.resolve("inv.yml").toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    return r.runId();
  }

  @Test
  void aCompletedRollbackSaysRolledBackAndAbortedAndExits5() throws Exception {
    // given a finished run
    String id = finishedRun("rm " + dir.resolve("changed"));
    // when it is aborted with --rollback
    Cli.Result aborted = cli("abort", id, "--rollback");
    // then the rollback ran, the output says so, and the exit code is 5 (aborted)
    assertFalse(Files.exists(dir.resolve("changed")), "rolled back");
    assertEquals(5, aborted.exitCode(), aborted.out() + aborted.err());
    assertTrue(
        aborted.out().contains("rolling back run " + id + " (demo): 1 host(s)"), aborted.out());
    assertTrue(
        aborted.out().contains("run " + id + " aborted in ")
            && aborted.out().contains("rolled back 1 host(s)"),
        aborted.out());
    assertFalse(aborted.out().contains("resuming run"), aborted.out());
    assertFalse(aborted.out().contains("succeeded"), aborted.out());
    // and status agrees
    Cli.Result status = cli("status", id);
    assertTrue(status.out().contains("aborted: aborted by"), status.out());
    assertTrue(status.out().contains("rolled back 1 host(s)"), status.out());
    // and running it again is a checkpointed no-op with the same outcome
    assertEquals(5, cli("abort", id, "--rollback").exitCode());
  }

  @Test
  void aRollbackIsRecordedInTheRunsEventsAndItsReport() throws Exception {
    // given a finished run (issue 22: abort --rollback built its own executor without the recorder)
    String id = finishedRun("rm " + dir.resolve("changed"));
    Path runDir = dir.resolve("state").resolve("runs").resolve(id);
    long before = Files.readAllLines(runDir.resolve("events.jsonl")).size();
    // when it is aborted with --rollback
    assertEquals(5, cli("abort", id, "--rollback").exitCode());
    // then the rollback's events follow the run's own in events.jsonl
    java.util.List<String> events = Files.readAllLines(runDir.resolve("events.jsonl"));
    java.util.List<String> added = events.subList((int) before, events.size());
    assertTrue(
        added.stream().anyMatch(e -> e.contains("\"step\":\"undo\"") && e.contains("h1")),
        String.join("\n", added));
    assertTrue(added.stream().anyMatch(e -> e.contains("run_finished")), String.join("\n", added));
    // and the HTML report, written again, shows the rollback step
    String report = Files.readString(runDir.resolve("report.html"));
    assertTrue(report.contains("undo"), "the report shows the rollback step");
  }

  @Test
  void anIncompleteRollbackSaysSoAndExits3WithTheCommandToContinue() throws Exception {
    // given a finished run whose rollback fails
    String id = finishedRun("echo cannot restore >&2; exit 1");
    // when it is aborted with --rollback
    Cli.Result aborted = cli("abort", id, "--rollback");
    // then: exit 3, "rollback incomplete" with the host and the command to run again
    assertEquals(3, aborted.exitCode(), aborted.out() + aborted.err());
    assertTrue(aborted.out().contains("run " + id + " aborted in "), aborted.out());
    assertTrue(aborted.out().contains("rollback incomplete: h1"), aborted.out());
    assertTrue(aborted.out().contains("next: "), aborted.out());
    assertTrue(aborted.out().contains("abort " + id), aborted.out());
    assertFalse(aborted.out().contains("succeeded"), aborted.out());
  }

  @Test
  void aPlainAbortExits5() throws Exception {
    // given a run paused at a failing step
    Files.writeString(
        dir.resolve("pb.yml"), "name: demo\nsteps:\n  - id: fail\n    shell: exit 1\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result r =
        cli("run", dir.resolve("pb.yml").toString(), "-i", dir.resolve("inv.yml").toString());
    assertEquals(3, r.exitCode(), r.out() + r.err());
    // when it is aborted (and again)
    Cli.Result aborted = cli("abort", r.runId());
    Cli.Result again = cli("abort", r.runId());
    // then both say aborted and exit 5
    assertEquals(5, aborted.exitCode(), aborted.out() + aborted.err());
    assertTrue(aborted.out().contains("run " + r.runId() + " aborted"), aborted.out());
    assertEquals(5, again.exitCode(), again.out() + again.err());
    assertTrue(again.out().contains("is already aborted"), again.out());
  }
}
