package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.sandbox.SandboxFleet;
import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --check} predicts exactly the steps the following {@code run} executes. */
class PlanMatchesRunIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** host/step pairs the plan says will run. */
  private static Set<String> planned(Cli.Result plan) throws IOException {
    assertEquals(0, plan.exitCode(), plan.err());
    Set<String> out = new TreeSet<>();
    JsonNode root = JSON.readTree(plan.out());
    assertTrue(root.get("probed").asBoolean());
    for (JsonNode stage : root.get("stages")) {
      for (JsonNode batch : stage.get("batches")) {
        for (JsonNode host : batch.get("hosts")) {
          for (JsonNode step : host.get("steps")) {
            assertTrue(
                !step.get("prediction").asText().equals("decided_at_run_time"),
                "--check left " + host.get("name") + "/" + step.get("id") + " undecided");
            if (step.get("will_run").asBoolean()) {
              out.add(host.get("name").asText() + "/" + step.get("id").asText());
            }
          }
        }
      }
    }
    return out;
  }

  /** host/step pairs the run started. */
  private static Set<String> executed(Cli.Result run) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String line : run.out().strip().split("\n")) {
      JsonNode e = JSON.readTree(line);
      if (e.get("event").asText().equals("step_started")) {
        out.add(e.get("host").asText() + "/" + e.get("step").asText());
      }
    }
    return out;
  }

  @Test
  void onConditionsProbesAndCreates() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      Files.writeString(fleet.home("h1").resolve("version"), "new\n");
      Files.writeString(fleet.home("h1").resolve("marker"), "");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          steps:
            - id: probe
              shell: cat version 2>/dev/null || echo none
              register: v
              check: true
            - id: upgrade
              when: v.stdout != 'new'
              shell: echo new > version
            - id: marker
              creates: marker
              shell: touch marker
            - id: always
              shell: "true"
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      Set<String> predicted =
          planned(Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common)));
      assertEquals(
          Set.of("h1/probe", "h1/always", "h2/probe", "h2/upgrade", "h2/marker", "h2/always"),
          predicted);
      assertEquals(
          predicted, executed(Cli.run(concat(new String[] {"run", pb.toString()}, common))));
    }
  }

  @Test
  void onFileSteps() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web", "h2", "web"))) {
      // given a copy step, and a step that runs only when the copy changed the file
      Files.writeString(fleet.home("h1").resolve("motd"), "hello\n");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          hosts: web
          steps:
            - id: motd
              copy: {content: "hello\\n", dest: motd}
              register: m
            - id: reload
              when: m.changed
              shell: "true"
          """);
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json"
      };
      Cli.Result plan = Cli.run(concat(new String[] {"plan", pb.toString(), "--check"}, common));
      assertEquals(0, plan.exitCode(), plan.err());
      Set<String> executed = executed(Cli.run(concat(new String[] {"run", pb.toString()}, common)));
      // then the file steps the plan shows run on both hosts (the copy converges, so it runs)
      assertTrue(plan.out().contains("\"motd\""), plan.out());
      assertTrue(
          executed.containsAll(Set.of("h1/motd", "h2/motd", "h2/reload")), executed.toString());
    }
  }

  @Test
  void onTheSandboxFleetBeforeAndAfterTheUpdate() throws IOException {
    SandboxFleet fleet = SandboxFleet.create(dir.resolve("sb"), 1, 2, "27.1.11", "28.0.14");
    try (SandboxFleet.Servers servers = fleet.start()) {
      String[] common = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString(),
        "--output",
        "json",
        "-e",
        "soak_time=0s"
      };
      String playbook = Path.of("playbooks/nextcloud-update.yml").toString();
      for (int round = 1; round <= 2; round++) {
        Set<String> predicted =
            planned(Cli.run(concat(new String[] {"plan", playbook, "--check"}, common)));
        Cli.Result run = Cli.run(concat(new String[] {"run", playbook, "--forks", "3"}, common));
        Set<String> executed = executed(run);
        if (run.exitCode() == 3) {
          // the approval gate before production: approve it, the run goes on
          String runId =
              JSON.readTree(
                      run.out()
                          .lines()
                          .filter(l -> l.contains("\"run_started\""))
                          .findFirst()
                          .orElseThrow())
                  .get("run_id")
                  .asText();
          Cli.Result approved =
              Cli.run(
                  "approve",
                  runId,
                  "--output",
                  "json",
                  "--state-dir",
                  dir.resolve("state").toString());
          assertEquals(0, approved.exitCode(), approved.out() + approved.err());
          executed.addAll(executed(approved));
        }
        assertEquals(predicted, executed, "round " + round);
        assertTrue(predicted.contains("prod-1/verify"));
        assertEquals(
            round == 1,
            predicted.contains("prod-1/upgrade"),
            "round " + round + ": only the first run upgrades");
      }
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
