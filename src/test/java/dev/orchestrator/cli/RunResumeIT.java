package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The core loop over real SSH: in-process MINA SSHD servers, one per host, run real /bin/sh
 * commands in temp folders. Steps append to count files so that re-runs are visible.
 */
class RunResumeIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private Path playbook;
  private Path trace;

  @BeforeEach
  void fleet() throws IOException {
    Map<String, String> groups = new LinkedHashMap<>();
    groups.put("q1", "qa");
    groups.put("q2", "qa");
    groups.put("p1", "production");
    groups.put("p2", "production");
    groups.put("p3", "production");
    fleet = TestFleet.start(dir, groups);
    trace = dir.resolve("trace.log");
    playbook = dir.resolve("pb.yml");
    Files.writeString(
        playbook,
        """
        name: counting
        vars:
          trace: %s
        stages:
          - name: qa
            hosts: qa
          - name: production
            hosts: production
            serial: [1, 2]
        steps:
          - id: a
            shell: echo run >> count-a && echo "{{ inventory_hostname }} a" >> {{ trace | quote }} && echo hello-{{ inventory_hostname }}
            register: greeting
          - id: b
            shell: echo run >> count-b && test ! -e fail && echo "{{ greeting.stdout }}" > greeting.txt
          - id: c
            shell: echo run >> count-c && echo "{{ inventory_hostname }} c" >> {{ trace | quote }}
        """
            .formatted(trace));
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

  private Cli.Result run(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                playbook.toString(),
                "-i",
                fleet.inventory().toString(),
                "--known-hosts",
                fleet.knownHosts().toString()));
    args.addAll(List.of(extra));
    return orchestrator(args.toArray(String[]::new));
  }

  private int count(String host, String step) throws IOException {
    Path f = fleet.home(host).resolve("count-" + step);
    return Files.exists(f) ? Files.readAllLines(f).size() : 0;
  }

  @Test
  void aMultiStageRunUpdatesQaThenProduction() throws IOException {
    // when
    Cli.Result r = run();
    // then every host ran every step once, and QA finished before production started
    assertEquals(0, r.exitCode(), r.out() + r.err());
    for (String h : List.of("q1", "q2", "p1", "p2", "p3")) {
      for (String s : List.of("a", "b", "c")) {
        assertEquals(1, count(h, s), h + "/" + s);
      }
      assertEquals(
          "hello-" + h,
          Files.readString(fleet.home(h).resolve("greeting.txt")).trim(),
          "register carried stdout to the next step");
    }
    List<String> lines = Files.readAllLines(trace);
    int lastQa = Math.max(lines.lastIndexOf("q1 c"), lines.lastIndexOf("q2 c"));
    int firstProd = lines.indexOf("p1 a");
    assertTrue(lastQa < firstProd, "QA before production: " + lines);
    assertTrue(
        lines.indexOf("p1 c") < lines.indexOf("p2 a"), "canary batch before the next: " + lines);
    assertTrue(r.out().contains("run " + r.runId() + " succeeded"), r.out());
  }

  @Test
  void aFailedStepPausesItsHostAndTheRolloutThenResumeFinishesWithoutRerunningSucceededSteps()
      throws IOException {
    // given a cause of failure on q1
    Files.writeString(fleet.home("q1").resolve("fail"), "");
    // when
    Cli.Result first = run();
    // then q1 pauses at b, q2 finishes, production does not start
    assertEquals(3, first.exitCode(), first.out() + first.err());
    String id = first.runId();
    assertTrue(first.out().contains("[q1] PAUSED at step b: exit code 1"), first.out());
    assertTrue(first.out().contains("rollout paused after stage qa, batch 1"), first.out());
    assertTrue(
        first.out().contains("next: orchestrator resume " + id + " --state-dir "), first.out());
    assertEquals(1, count("q2", "c"));
    assertEquals(0, count("q1", "c"));
    assertEquals(0, count("p1", "a"), "production must not start");
    Cli.Result status = orchestrator("status", id);
    assertTrue(status.out().contains("q1  paused at b (attempt 1): exit code 1"), status.out());

    // when the cause is fixed and the run resumed
    Files.delete(fleet.home("q1").resolve("fail"));
    Cli.Result resumed = orchestrator("resume", id);

    // then it completes; only the failed step ran again
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertEquals(1, count("q1", "a"));
    assertEquals(2, count("q1", "b"));
    assertEquals(1, count("q1", "c"));
    assertEquals(
        "hello-q1",
        Files.readString(fleet.home("q1").resolve("greeting.txt")).trim(),
        "registered value restored from the checkpoint");
    for (String h : List.of("q2", "p1", "p2", "p3")) {
      for (String s : List.of("a", "b", "c")) {
        assertEquals(1, count(h, s), h + "/" + s);
      }
    }
    assertEquals(0, orchestrator("resume", id).exitCode(), "resuming a finished run is a no-op");
  }

  @Test
  void skipStepLetsTheOperatorGoOn() throws IOException {
    Files.writeString(fleet.home("p2").resolve("fail"), "");
    Cli.Result first = run();
    assertEquals(3, first.exitCode());
    assertEquals(1, count("p3", "c"), "p2 and p3 share a batch: p3 finished it");
    String id = first.runId();
    Cli.Result resumed = orchestrator("resume", id, "--skip-step", "b", "--host", "p2");
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertEquals(1, count("p2", "b"), "b was skipped, not rerun");
    assertEquals(1, count("p2", "c"));
  }

  @Test
  void retryFailedRetriesOnlyTheFailedHostsAndKeepsTheRolloutPaused() throws IOException {
    Files.writeString(fleet.home("q2").resolve("fail"), "");
    String id = run().runId();
    Files.delete(fleet.home("q2").resolve("fail"));
    Cli.Result retried = orchestrator("resume", id, "--retry-failed");
    assertEquals(3, retried.exitCode(), retried.out());
    assertEquals(1, count("q2", "c"));
    assertEquals(0, count("p1", "a"));
    assertTrue(retried.out().contains("only the failed hosts were retried"), retried.out());
    assertEquals(0, orchestrator("resume", id).exitCode());
    assertEquals(1, count("p3", "c"));
  }

  @Test
  void planAndResumeWithRetryFailedNameTheHeldBackHosts() throws IOException {
    // given a run paused because q2 failed in stage qa; production has not started
    Files.writeString(fleet.home("q2").resolve("fail"), "");
    String id = run().runId();
    Files.delete(fleet.home("q2").resolve("fail"));
    // when the operator plans the retry of the failed hosts
    Cli.Result plan =
        orchestrator(
            "plan",
            playbook.toString(),
            "-i",
            fleet.inventory().toString(),
            "--run",
            id,
            "--retry-failed");
    // then the plan shows the production hosts held back, and only q2's steps as runs
    assertEquals(0, plan.exitCode(), plan.err());
    assertTrue(
        plan.out().contains("held back by --retry-failed")
            && plan.out().contains("resume): p1, p2, p3"),
        plan.out());
    assertTrue(plan.out().matches("(?s).*\\n    \\(host\\)\\s+held\\s*\\n.*"), plan.out());
    assertTrue(plan.out().contains("2 step run(s) on 1 of 5 host(s)"), plan.out());
    // and in JSON
    Cli.Result json =
        orchestrator(
            "plan",
            playbook.toString(),
            "-i",
            fleet.inventory().toString(),
            "--run",
            id,
            "--retry-failed",
            "--output",
            "json");
    assertEquals(
        "[\"p1\",\"p2\",\"p3\"]",
        new ObjectMapper().readTree(json.out()).get("held_back").toString());
    // when it resumes with --retry-failed, then the same hosts are named as held back
    Cli.Result retried = orchestrator("resume", id, "--retry-failed");
    assertEquals(3, retried.exitCode(), retried.out() + retried.err());
    assertTrue(
        retried
            .err()
            .contains(
                "--retry-failed holds back 3 host(s) until the rollout continues: p1, p2, p3"),
        retried.err());
    assertEquals(0, count("p1", "a"));
  }

  @Test
  void anUnreachableHostIsPausedWhileOthersContinue() throws IOException {
    fleet.stop("p1");
    Cli.Result first = run();
    assertEquals(3, first.exitCode());
    assertTrue(first.out().contains("[p1] UNREACHABLE: cannot connect to p1"), first.out());
    assertEquals(0, count("p2", "a"), "the canary failed: the rollout paused");
    fleet.restart("p1");
    Cli.Result resumed = orchestrator("resume", first.runId());
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertEquals(1, count("p1", "c"));
    assertEquals(1, count("p3", "c"));
  }

  @Test
  void jsonOutputIsOneEventPerLine() throws IOException {
    Cli.Result r = run("--output", "json", "--limit", "q1");
    assertEquals(0, r.exitCode(), r.err());
    ObjectMapper mapper = new ObjectMapper();
    List<String> events = new ArrayList<>();
    for (String line : r.out().strip().split("\n")) {
      JsonNode node = mapper.readTree(line);
      assertEquals(1, node.get("schema").asInt());
      events.add(node.get("event").asText());
    }
    assertEquals("run_started", events.get(0));
    assertEquals("run_finished", events.get(events.size() - 1));
    assertTrue(events.contains("step_finished"));
    assertFalse(Files.exists(fleet.home("q2").resolve("count-a")), "--limit q1 leaves q2 alone");
  }

  @Test
  void planChangesNothingAndShowsCheckpoints() throws IOException {
    Files.writeString(fleet.home("q1").resolve("fail"), "");
    String id = run().runId();
    Cli.Result plan =
        orchestrator("plan", playbook.toString(), "-i", fleet.inventory().toString(), "--run", id);
    assertEquals(0, plan.exitCode(), plan.err());
    assertTrue(plan.out().matches("(?s).*\\n    \\(host\\)\\s+paused\\s+done\\n.*"), plan.out());
    assertTrue(plan.out().matches("(?s).*\\n    b\\s+retry\\s+done\\n.*"), plan.out());
    assertTrue(plan.out().matches("(?s).*\\n    c\\s+run\\s+done\\n.*"), plan.out());
    assertEquals(0, count("p1", "a"));
    Cli.Result json =
        orchestrator(
            "plan", playbook.toString(), "-i", fleet.inventory().toString(), "--output", "json");
    JsonNode root = new ObjectMapper().readTree(json.out());
    assertEquals("production", root.get("stages").get(1).get("name").asText());
    assertEquals(2, root.get("stages").get(1).get("batches").size());
  }
}
