package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollback_on_failure} when the rollback itself fails, over real SSH: resume retries the
 * failed rollback step and finishes the rollback (the host stays paused, rolled back; the update
 * does not go on), and {@code status} agrees with the journal at every point. Steps append to count
 * files so that runs are visible; marker files make a step fail until they are removed.
 */
class RollbackResumeIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private Path playbook;

  @BeforeEach
  void fleet() throws IOException {
    Map<String, String> groups = new LinkedHashMap<>();
    groups.put("h1", "all-hosts");
    fleet = TestFleet.start(dir, groups);
    playbook = dir.resolve("pb.yml");
    Files.writeString(
        playbook,
        """
        name: rolling
        rollback_on_failure: true
        steps:
          - id: prepare
            shell: echo run >> count-prepare
          - id: install
            rollback_from: true
            shell: echo run >> count-install && echo new > version
          - id: migrate
            shell: echo run >> count-migrate && test ! -e fail-migrate
          - id: finish
            shell: echo run >> count-finish
        rollback:
          - id: restore
            shell: echo run >> count-restore && echo old > version
          - id: check
            shell: echo run >> count-check && test ! -e fail-check
          - id: online
            shell: echo run >> count-online
        """);
  }

  @AfterEach
  void stop() throws IOException {
    fleet.close();
  }

  private Cli.Result orchestrator(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  private int count(String step) throws IOException {
    Path f = fleet.home("h1").resolve("count-" + step);
    return Files.exists(f) ? Files.readAllLines(f).size() : 0;
  }

  private Path home(String file) {
    return fleet.home("h1").resolve(file);
  }

  @Test
  void resumeAfterAFailedRollbackFinishesTheRollbackThenAnotherResumeStartsTheUpdateOver()
      throws IOException {
    // given a host whose update fails past the rollback mark, and whose rollback then fails too
    Files.writeString(home("fail-migrate"), "");
    Files.writeString(home("fail-check"), "");
    Cli.Result first =
        orchestrator(
            "run",
            playbook.toString(),
            "-i",
            fleet.inventory().toString(),
            "--known-hosts",
            fleet.knownHosts().toString());
    assertEquals(3, first.exitCode(), first.out() + first.err());
    String id = first.runId();
    assertTrue(
        first
            .out()
            .contains(
                "then the rollback failed at check: exit code 1. Fix that, then resume: it retries check and the rest of the rollback, and the host stays paused, rolled back (or abort --rollback)"),
        first.out());
    assertEquals(0, count("online"), "the rollback stopped at check");
    Cli.Result status = orchestrator("status", id);
    assertTrue(status.out().contains("): paused: "), "the run is paused: " + status.out());
    assertTrue(status.out().contains("h1  paused at check (attempt 1)"), status.out());

    // when the operator fixes both causes and resumes
    Files.delete(home("fail-check"));
    Files.delete(home("fail-migrate"));
    Cli.Result resumed = orchestrator("resume", id);

    // then the failed rollback step runs again, then the rest of the rollback, and the host stays
    // paused as rolled back: the update does not go on behind a half-done rollback
    assertEquals(3, resumed.exitCode(), resumed.out() + resumed.err());
    assertEquals(1, count("restore"), "a rollback step that succeeded is not run again");
    assertEquals(2, count("check"), "the failed rollback step is retried");
    assertEquals(1, count("online"), "then the remaining rollback steps");
    assertEquals(1, count("migrate"), "the failed update step did not run again");
    assertEquals(0, count("finish"), "the update did not go on");
    assertEquals("old", Files.readString(home("version")).trim());
    assertTrue(
        resumed
            .out()
            .contains("rolled back to the previous version. Fix the cause; resume then starts"),
        resumed.out());
    assertTrue(
        Files.exists(dir.resolve("state/runs").resolve(id).resolve("logs/h1/check.2.log")),
        "the retry is attempt 2, its own log");
    status = orchestrator("status", id);
    assertTrue(status.out().contains("): paused: "), "never succeeded here: " + status.out());
    assertTrue(status.out().contains("h1  rolled back: migrate failed at attempt 1"), status.out());

    // when resumed again
    Cli.Result again = orchestrator("resume", id);

    // then the host's update starts over and completes
    assertEquals(0, again.exitCode(), again.out() + again.err());
    assertEquals(2, count("prepare"), "started over");
    assertEquals(2, count("migrate"));
    assertEquals(1, count("finish"));
    assertEquals(1, count("online"), "no rollback this time");
    assertEquals("new", Files.readString(home("version")).trim());
    status = orchestrator("status", id);
    assertTrue(status.out().contains("): succeeded"), status.out());
    assertFalse(status.out().contains("rolled back"), "the journal moved on: " + status.out());
    assertFalse(status.out().contains("paused at"), status.out());
  }
}
