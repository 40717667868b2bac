package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.JsonEventRenderer;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's share of a run ({@link HostWork}) masks the run's secrets in everything it reports,
 * the fetch of its artifacts included (issue 22: {@code orchestrator worker} fetched artifacts
 * through a sink that did not mask, so an artifact URL built from a secret reached the run's events
 * in clear, while {@code run} masked it).
 */
class HostWorkTest {
  @TempDir Path dir;

  @Test
  void theArtifactFetchReportsThroughTheMaskedSink() throws Exception {
    // given a plan whose upload step's artifact URL is built from a secret
    String secret = "s3cr3t-download-key";
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        hosts: all
        secret_vars: [download_key]
        steps:
          - id: send
            upload: {artifact: release, dest: /tmp/release.tar}
        artifacts:
          - id: release
            url: "https://downloads.example.org/release.tar?key={{ download_key }}"
            sha256: "0000000000000000000000000000000000000000000000000000000000000000"
        """);
    TemplateEngine templates = new TemplateEngine();
    Plan plan =
        new Planner(templates)
            .plan(
                PlanInputs.of(
                        new PlaybookLoader().load(dir.resolve("pb.yml")),
                        InventoryLoader.load(dir.resolve("inv.yml")))
                    .vars(Map.of("download_key", secret))
                    .build());
    RunStore store = new RunStore(dir.resolve("state"));
    List<Event> reported = new CopyOnWriteArrayList<>();
    String url = "https://downloads.example.org/release.tar?key=" + secret;
    try (RunJournal journal =
        store.create(
            "r1",
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false))) {
      // when a worker prepares its share and fetches the artifacts through the sink it is given
      try (HostWork work =
          new HostWork(
              (name, spec) -> {
                throw new AssertionError("no host is reached while preparing");
              },
              reported::add,
              templates,
              TestEngineSettings.withSecretNames(
                  TestEngineSettings.defaults(1, RunExecutor.NextCommands.same("resume r1")),
                  Set.of("download_key")),
              journal,
              plan,
              sink -> {
                sink.emit(
                    new Event.ArtifactReady(
                        Instant.EPOCH, "release", url, 10, "0".repeat(64), false));
                return RunArtifacts.NONE;
              })) {
        // then the event reached the run's events without the secret (the whole URL derives from
        // it, so the whole URL is masked, as run masks it)
        assertEquals(1, reported.size());
        String line = JsonEventRenderer.line(reported.get(0));
        assertFalse(line.contains(secret), line);
        assertTrue(line.contains("\"artifact\":\"release\""), line);
      }
    }
  }
}
