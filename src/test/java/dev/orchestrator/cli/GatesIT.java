package dev.orchestrator.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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
 * Gates, abort with rollback and edits between runs, over real SSH (MINA SSHD per host) with
 * WireMock standing in for each host's status.php.
 */
class GatesIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private WireMockServer http;
  private Path playbook;

  private static final String PLAYBOOK =
      """
      name: gated
      stages:
        - name: qa
          hosts: qa
        - name: production
          hosts: production
          serial: 1
          gates:
            - health:
                url: "http://127.0.0.1:{{ wm_port }}/{{ inventory_hostname }}/status.php"
                json: {maintenance: false, versionstring: "{{ target }}"}
                timeout: 1s
                interval: 200ms
            - approval: QA ok?
          batch_gates:
            - wait: 1s
      steps:
        - id: a
          shell: echo run >> count-a
          rollback_from: true
        - id: b
          shell: echo run >> count-b && test ! -e fail
        - id: c
          shell: echo %s >> count-c
      rollback:
        - id: undo
          shell: echo undo >> count-undo
      """;

  @BeforeEach
  void start() throws IOException {
    Map<String, String> groups = new LinkedHashMap<>();
    groups.put("q1", "qa");
    groups.put("q2", "qa");
    groups.put("p1", "production");
    groups.put("p2", "production");
    fleet = TestFleet.start(dir, groups);
    http =
        new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    http.start();
    for (String h : groups.keySet()) {
      status(h, false);
    }
    playbook = dir.resolve("pb.yml");
    Files.writeString(playbook, PLAYBOOK.formatted("run"));
  }

  @AfterEach
  void stop() throws IOException {
    http.stop();
    fleet.close();
  }

  private void status(String host, boolean maintenance) {
    http.stubFor(
        get(urlEqualTo("/" + host + "/status.php"))
            .willReturn(
                okJson(
                    "{\"installed\":true,\"maintenance\":"
                        + maintenance
                        + ",\"needsDbUpgrade\":false,\"versionstring\":\"28.0.14\"}")));
  }

  private Cli.Result orchestrator(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  private Cli.Result run() {
    return Cli.run(
        Cli.runArgs(
            playbook,
            fleet,
            dir.resolve("state"),
            "-e",
            "wm_port=" + http.port(),
            "-e",
            "target=28.0.14"));
  }

  private int count(String host, String file) throws IOException {
    Path f = fleet.home(host).resolve(file);
    return Files.exists(f) ? Files.readAllLines(f).size() : 0;
  }

  @Test
  void anApprovalPausesDurablyUntilApproved() throws IOException {
    // when
    Cli.Result first = run();
    // then the rollout waits before production, after a passing health gate
    assertEquals(3, first.exitCode(), first.out() + first.err());
    String id = first.runId();
    assertTrue(first.out().contains("gate production/before/0: health GET"), first.out());
    assertTrue(first.out().contains("passed: 2 host(s) healthy"), first.out());
    assertTrue(
        first
            .out()
            .contains("waiting for approval at gate production/before/1 (approval (QA ok?))"),
        first.out());
    assertTrue(first.out().contains("next: orchestrator approve " + id), first.out());
    assertEquals(0, count("p1", "count-a"));
    // the pause is in the state store (a new controller process sees it)
    Cli.Result plan =
        orchestrator("plan", playbook.toString(), "-i", fleet.inventory().toString(), "--run", id);
    assertTrue(
        plan.out().contains("approval (QA ok?) — WAITING for 'orchestrator approve'"), plan.out());
    assertTrue(
        plan.out().contains("gated: waits behind production/before/1 (approval)"), plan.out());
    Cli.Result resumed = orchestrator("resume", id);
    assertEquals(3, resumed.exitCode(), "resume does not pass an approval");

    // when approved
    Cli.Result approved = orchestrator("approve", id, "--stage", "production");
    // then production runs, with the soak between its batches
    assertEquals(0, approved.exitCode(), approved.out() + approved.err());
    assertTrue(approved.out().contains("approved gate production/before/1"), approved.out());
    assertTrue(
        approved.out().contains("gate production/batch-1/0: wait 1s — passed"), approved.out());
    assertEquals(1, count("p1", "count-c"));
    assertEquals(1, count("p2", "count-c"));
    assertEquals(1, count("q1", "count-a"), "QA did not run again");
  }

  @Test
  void rejectEndsTheRun() {
    String id = run().runId();
    Cli.Result rejected = orchestrator("reject", id, "--reason", "QA found a regression");
    assertEquals(0, rejected.exitCode(), rejected.err());
    assertTrue(
        rejected.out().contains("rejected at gate production/before/1 and aborted"),
        rejected.out());
    Cli.Result resumed = orchestrator("resume", id);
    assertEquals(5, resumed.exitCode());
    assertTrue(
        resumed.err().contains("was aborted: approval gate production/before/1 rejected by"),
        resumed.err());
    assertTrue(resumed.err().contains("QA found a regression"), resumed.err());
  }

  @Test
  void aFailingHealthGatePausesAndSaysWhichHostFailedWhichCheck() throws IOException {
    status("q2", true);
    Cli.Result first = run();
    assertEquals(3, first.exitCode());
    assertTrue(
        first
            .out()
            .contains(
                "health gate production/before/0 failed: q2: maintenance is true, expected false"),
        first.out());
    assertEquals(0, count("p1", "count-a"));
    String id = first.runId();
    status("q2", false);
    Cli.Result resumed = orchestrator("resume", id);
    assertEquals(3, resumed.exitCode(), "now healthy, the approval waits");
    assertTrue(resumed.out().contains("waiting for approval"), resumed.out());
  }

  @Test
  void abortWithRollbackUndoesTheHostsPastTheMark() throws IOException {
    Files.writeString(fleet.home("q1").resolve("fail"), "");
    String id = run().runId();
    Cli.Result aborted = orchestrator("abort", id, "--rollback");
    assertEquals(5, aborted.exitCode(), aborted.out() + aborted.err());
    assertEquals(1, count("q1", "count-undo"));
    assertEquals(1, count("q2", "count-undo"));
    assertEquals(0, count("p1", "count-undo"), "production never started");
    Cli.Result status = orchestrator("status", id);
    assertTrue(
        status.out().contains("aborted: aborted by")
            && status.out().contains("rolled back 2 host(s)"),
        status.out());
    assertEquals(5, orchestrator("resume", id).exitCode());
    assertEquals(
        5,
        orchestrator("abort", id, "--rollback").exitCode(),
        "rollback is checkpointed: running it again is a no-op");
    assertEquals(1, count("q1", "count-undo"));
  }

  @Test
  void editsToStepsThatAlreadySucceededNeedRerunStep() throws IOException {
    Files.writeString(fleet.home("q1").resolve("fail"), "");
    Files.writeString(fleet.home("q2").resolve("fail"), "");
    String id = run().runId();
    Files.delete(fleet.home("q1").resolve("fail"));
    Files.delete(fleet.home("q2").resolve("fail"));

    // an edit to a step that has not run anywhere yet is accepted
    Files.writeString(playbook, PLAYBOOK.formatted("edited"));
    Cli.Result plan =
        orchestrator("plan", playbook.toString(), "-i", fleet.inventory().toString(), "--run", id);
    assertFalse(plan.out().matches("(?s).*(done|run|retry)\\*.*"), plan.out());

    // an edit to a step that succeeded is refused...
    Files.writeString(
        playbook,
        PLAYBOOK.formatted("edited").replace("echo run >> count-a", "echo again >> count-a"));
    plan =
        orchestrator("plan", playbook.toString(), "-i", fleet.inventory().toString(), "--run", id);
    assertTrue(plan.out().matches("(?s).*\\n    a\\s+done\\*\\s+done\\*\\n.*"), plan.out());
    Cli.Result refused = orchestrator("resume", id);
    assertEquals(2, refused.exitCode());
    assertTrue(
        refused.err().contains("step 'a' already succeeded on q1, q2 with its old definition"),
        refused.err());
    assertTrue(refused.err().contains("--rerun-step a"), refused.err());
    assertTrue(
        refused
            .err()
            .contains(
                "see the changes with: orchestrator plan "
                    + playbook.toAbsolutePath().normalize()
                    + " -i "
                    + fleet.inventory().toAbsolutePath().normalize()
                    + " --run "
                    + id
                    + " --state-dir "
                    + dir.resolve("state")),
        "the real command, not a placeholder: " + refused.err());
    assertEquals(1, count("q1", "count-a"));

    // ...unless the operator asks for it
    Cli.Result rerun = orchestrator("resume", id, "--rerun-step", "a");
    assertEquals(3, rerun.exitCode(), rerun.out() + rerun.err());
    assertEquals(2, count("q1", "count-a"));
    assertEquals(List.of("edited"), Files.readAllLines(fleet.home("q1").resolve("count-c")));
  }
}
