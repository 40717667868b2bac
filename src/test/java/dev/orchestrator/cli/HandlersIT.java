package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Handlers on real OpenSSH hosts: a notification made before a pause, or before the controller was
 * killed, is kept, and the handler runs exactly once when the host resumes (Ansible loses it;
 * README "Handlers").
 */
class HandlersIT {
  @TempDir Path dir;

  private static final String HANDLERS =
      """
      handlers:
        - id: restart
          name: restart web
          shell: echo run >> count-restart
      """;

  @Test
  void aNotificationMadeBeforeAPauseRunsItsHandlerOnceOnResume() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      // given step config changes each host and notifies restart web, then check fails
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(
          playbook,
          """
          hosts: web
          steps:
            - id: config
              shell: echo new >> config
              notify: restart web
            - id: check
              shell: test -e fixed
          """
              + HANDLERS);
      Path state = dir.resolve("state");
      Cli.Result run = Cli.run(Cli.runArgs(playbook, fleet, state));
      assertEquals(3, run.exitCode(), run.out() + run.err());
      for (String h : List.of("h1", "h2")) {
        assertFalse(Files.exists(fleet.home(h).resolve("count-restart")), "paused before it");
      }
      String runId = runId(state);
      // when the plan of the resume is asked for
      Cli.Result plan =
          Cli.run(
              "plan",
              playbook.toString(),
              "-i",
              fleet.inventory().toString(),
              "--run",
              runId,
              "--state-dir",
              state.toString());
      // then it says the handler runs (its notification is in config's checkpoint)
      assertTrue(plan.out().matches("(?s).*\\n    restart\\s+run\\s+run\\n.*"), plan.out());
      // when the hosts are fixed and the run resumes
      for (String h : List.of("h1", "h2")) {
        Files.writeString(fleet.home(h).resolve("fixed"), "");
      }
      Cli.Result resumed = Cli.run("resume", runId, "--state-dir", state.toString());
      // then the handler ran exactly once on each host, and config did not run again
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      for (String h : List.of("h1", "h2")) {
        assertEquals(1, lines(fleet.home(h).resolve("count-restart")), h);
        assertEquals(1, lines(fleet.home(h).resolve("config")), h);
      }
    }
  }

  @Test
  void aNotificationMadeBeforeTheControllerWasKilledRunsItsHandlerOnceOnResume() throws Exception {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web"))) {
      // given config notifies restart web, then hold runs until the test releases it
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(
          playbook,
          """
          hosts: web
          steps:
            - id: config
              shell: echo new >> config
              notify: restart web
            - id: hold
              idempotent: true
              shell: i=0; while [ ! -e release ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done
          """
              + HANDLERS);
      Path state = dir.resolve("state");
      Process controller =
          Cli.controller(dir.resolve("controller.log"), Cli.runArgs(playbook, fleet, state));
      Path journal;
      try {
        journal =
            await("the controller to create a run's journal")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> journalIn(state), Optional::isPresent)
                .get();
        // when the controller is killed while hold runs (config's checkpoint says changed)
        await("hold to be journalled as running")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(10))
            .until(
                () ->
                    Files.readString(journal)
                        .contains("\"stepId\":\"hold\",\"status\":\"RUNNING\""));
      } finally {
        controller.destroyForcibly().waitFor();
      }
      assertTrue(
          Files.readString(journal)
              .matches("(?s).*\"stepId\":\"config\",\"status\":\"SUCCEEDED\".*\"changed\":true.*"),
          Files.readString(journal));
      assertFalse(Files.exists(fleet.home("h1").resolve("count-restart")));
      Files.writeString(fleet.home("h1").resolve("release"), "");
      String runId = journal.getParent().getFileName().toString();
      Cli.Result resumed = Cli.run("resume", runId, "--state-dir", state.toString());
      // then resume reruns hold and runs the handler, once
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      assertEquals(1, lines(fleet.home("h1").resolve("count-restart")));
      assertEquals(1, lines(fleet.home("h1").resolve("config")));
    }
  }

  private static int lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }

  private static String runId(Path state) throws IOException {
    return journalIn(state).orElseThrow().getParent().getFileName().toString();
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
