package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resume} accepts the connection options as overrides of what the run stored: an operator
 * whose known_hosts file moved continues the run with {@code --known-hosts NEW}, and the run's
 * journal records the change.
 */
class ResumeOverridesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void resumeTakesAMovedKnownHostsFileAndRecordsTheOverride() throws IOException {
    Map<String, String> groups = new LinkedHashMap<>();
    groups.put("h1", "one");
    groups.put("h2", "two");
    try (TestFleet fleet = TestFleet.start(dir, groups)) {
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          stages:
            - {name: one, hosts: one}
            - name: two
              hosts: two
              gates:
                - approval: "go on?"
          steps:
            - {id: mark, shell: "echo done > marker"}
          """);
      Path oldKnownHosts = dir.resolve("old_known_hosts");
      Files.copy(fleet.knownHosts(), oldKnownHosts);
      String state = dir.resolve("state").toString();
      Cli.Result run =
          Cli.run(
              "run",
              pb.toString(),
              "-i",
              fleet.inventory().toString(),
              "--known-hosts",
              oldKnownHosts.toString(),
              "--state-dir",
              state);
      assertEquals(3, run.exitCode(), run.out() + run.err());
      String id = run.runId();
      Cli.Result approved = Cli.run("approve", id, "--no-resume", "--state-dir", state);
      assertEquals(0, approved.exitCode(), approved.out() + approved.err());

      // given: the known_hosts file the run was started with has moved
      Path newKnownHosts = dir.resolve("moved_known_hosts");
      Files.move(oldKnownHosts, newKnownHosts);
      Cli.Result stale = Cli.run("resume", id, "--state-dir", state);
      assertEquals(2, stale.exitCode(), stale.out() + stale.err());
      assertTrue(stale.err().contains("old_known_hosts"), stale.err());

      // when: the operator gives its new place
      Cli.Result resumed =
          Cli.run("resume", id, "--state-dir", state, "--known-hosts", newKnownHosts.toString());

      // then: the run continues over SSH with it, and the journal records the override
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      assertTrue(Files.exists(fleet.home("h2").resolve("marker")));
      Path runDir = dir.resolve("state/runs/" + id);
      JsonNode override = null;
      for (String line : Files.readAllLines(runDir.resolve("journal.jsonl"))) {
        JsonNode entry = JSON.readTree(line);
        if (entry.hasNonNull("override")) {
          override = entry.get("override");
        }
      }
      assertTrue(override != null, "the journal records the override");
      assertEquals("--known-hosts", override.get("option").asText());
      assertEquals(oldKnownHosts.toAbsolutePath().toString(), override.get("previous").asText());
      assertEquals(newKnownHosts.toAbsolutePath().toString(), override.get("value").asText());
      assertTrue(resumed.err().contains("--known-hosts is now"), resumed.err());
      // and the run keeps the new file for the commands that follow
      JsonNode spec = JSON.readTree(runDir.resolve("run.json").toFile()).get("spec");
      assertEquals(newKnownHosts.toAbsolutePath().toString(), spec.get("knownHosts").asText());
    }
  }
}
