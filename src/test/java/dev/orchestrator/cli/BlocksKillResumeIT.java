package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller killed (kill -9) in the middle of a block's rescue: the resume goes on in the
 * rescue, knowing the block failed and with the same {@code ansible_failed_result}; nothing of the
 * block runs again, the always runs once (README "Blocks").
 */
class BlocksKillResumeIT {
  @TempDir Path dir;

  @Test
  void aControllerKilledInTheRescueResumesInTheRescue() throws Exception {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web"))) {
      // given a block whose upgrade fails, and a rescue step that waits for a file
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(
          playbook,
          """
          hosts: web
          steps:
            - id: up
              block:
                - {id: drain, shell: echo run >> count-drain}
                - {id: upgrade, shell: echo run >> count-upgrade; exit 3}
                - {id: migrate, shell: echo run >> count-migrate}
              rescue:
                - id: report
                  shell: "echo {{ ansible_failed_task.id }} {{ ansible_failed_result.rc }} >> count-report"
                - id: wait
                  idempotent: true
                  shell: echo run >> count-wait; i=0; while [ ! -e release ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done
                - id: report2
                  shell: "echo {{ ansible_failed_result.rc }} >> count-report2"
              always:
                - {id: undrain, shell: echo run >> count-undrain}
          """);
      Path state = dir.resolve("state");
      Process controller =
          Cli.controller(dir.resolve("controller.log"), Cli.runArgs(playbook, fleet, state));
      Path journal =
          await("the controller to create a run's journal")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(10))
              .until(() -> journalIn(state), Optional::isPresent)
              .get();
      // when it is killed while the rescue's wait step runs
      try {
        await("up.wait to start on the host")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(10))
            .until(
                () ->
                    Files.exists(fleet.home("h1").resolve("count-wait")) || !controller.isAlive());
      } finally {
        controller.destroyForcibly().waitFor();
      }
      Files.writeString(fleet.home("h1").resolve("release"), "");
      String runId = journal.getParent().getFileName().toString();
      Cli.Result resumed = Cli.run("resume", runId, "--state-dir", state.toString());
      // then the resume finishes the rescue and the always; the block ran once and was rescued
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      Path home = fleet.home("h1");
      assertEquals(List.of("run"), Files.readAllLines(home.resolve("count-drain")));
      assertEquals(List.of("run"), Files.readAllLines(home.resolve("count-upgrade")));
      assertFalse(Files.exists(home.resolve("count-migrate")));
      assertEquals(List.of("up.upgrade 3"), Files.readAllLines(home.resolve("count-report")));
      assertEquals(List.of("run", "run"), Files.readAllLines(home.resolve("count-wait")));
      assertEquals(List.of("3"), Files.readAllLines(home.resolve("count-report2")));
      assertEquals(List.of("run"), Files.readAllLines(home.resolve("count-undrain")));
    }
  }

  private static Optional<Path> journalIn(Path state) throws IOException {
    Path runs = state.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.map(d -> d.resolve("journal.jsonl")).filter(Files::exists).findFirst();
    }
  }
}
