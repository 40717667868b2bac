package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host leases over real SSH: two controllers, stale leases, paused runs and unlock. */
class LeaseIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private Path playbook;

  @BeforeEach
  void start() throws IOException {
    fleet = TestFleet.start(dir, Map.of("h1", "web"));
    playbook = dir.resolve("pb.yml");
    Files.writeString(
        playbook,
        "hosts: web\nsteps:\n  - id: work\n    shell: test ! -e fail && sleep \"$(cat delay 2>/dev/null || echo 0)\" && { [ ! -e hold ] || { i=0; while [ ! -e release ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done; }; } && echo run >> count\n");
  }

  @AfterEach
  void stop() throws IOException {
    fleet.close();
  }

  private Cli.Result run(String stateDir, String... extra) {
    return Cli.run(Cli.runArgs(playbook, fleet, dir.resolve(stateDir), extra));
  }

  private Path lock() {
    return fleet.home("h1").resolve(".orchestrator/lock");
  }

  @Test
  void twoControllersOnOneHostExactlyOneProceeds() throws Exception {
    // the first run's step holds (until 'release', at most two minutes) while the second tries
    Files.writeString(fleet.home("h1").resolve("hold"), "");
    Process first =
        Cli.controller(dir.resolve("a.log"), Cli.runArgs(playbook, fleet, dir.resolve("state-a")));
    long deadline = System.currentTimeMillis() + 30_000;
    while (!Files.exists(lock()) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    String holder = Files.readString(lock());
    Cli.Result second = run("state-b");
    Files.writeString(fleet.home("h1").resolve("release"), "");
    assertEquals(4, second.exitCode(), second.out() + second.err());
    String runA = holder.replaceAll("^run=(\\S+).*\\s*$", "$1").strip();
    assertTrue(
        second
            .out()
            .contains(
                "h1 is leased by run "
                    + runA
                    + " (controller "
                    + InetAddress.getLocalHost().getHostName()),
        second.out());
    assertTrue(
        second.out().contains("continue that run with: orchestrator resume " + runA), second.out());
    assertEquals(0, first.waitFor(), Files.readString(dir.resolve("a.log")));
    assertEquals(
        1,
        Files.readAllLines(fleet.home("h1").resolve("count")).size(),
        "only the first run worked on the host");
    assertFalse(Files.exists(lock()), "released when the host is done");
  }

  @Test
  void aStaleLeaseWhoseControllerIsGoneIsTakenOver() throws Exception {
    Files.createDirectories(lock().getParent());
    long old = System.currentTimeMillis() / 1000 - 3600;
    Files.writeString(
        lock(),
        "run=20260101-000000-old-0000 controller="
            + InetAddress.getLocalHost().getHostName()
            + " pid=999999999 acquired="
            + old
            + " heartbeat="
            + old
            + " ttl=600 state=active\n");
    Cli.Result r = run("state");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(
        r.out().contains("took over the stale lease of run 20260101-000000-old-0000"), r.out());
    assertTrue(r.out().contains("its controller process is gone"), r.out());
  }

  @Test
  void aStaleLeaseOfAnotherMachineNeedsTakeOver() throws Exception {
    Files.createDirectories(lock().getParent());
    long old = System.currentTimeMillis() / 1000 - 3600;
    Files.writeString(
        lock(),
        "run=20260101-000000-far-0000 controller=elsewhere.example.org pid=4242 acquired="
            + old
            + " heartbeat="
            + old
            + " ttl=600 state=active\n");
    Cli.Result refused = run("state");
    assertEquals(4, refused.exitCode());
    assertTrue(
        refused
            .out()
            .contains(
                "whose heartbeat is older than its TTL (600 s) but whose controller is another machine"),
        refused.out());
    assertTrue(refused.out().contains("--take-over"), refused.out());
    assertEquals(0, run("state", "--take-over").exitCode());
  }

  @Test
  void aPausedRunKeepsItsLeaseUntilResumedOrUnlocked() throws Exception {
    Files.writeString(fleet.home("h1").resolve("fail"), "");
    Cli.Result paused = run("state-a");
    assertEquals(3, paused.exitCode());
    assertTrue(Files.readString(lock()).contains("state=paused"), Files.readString(lock()));
    String pausedRun = paused.runId();
    Cli.Result status =
        Cli.run("status", pausedRun, "--state-dir", dir.resolve("state-a").toString());
    assertTrue(
        status.out().contains("[lease paused]"),
        "the state store mirrors the lease: " + status.out());
    Cli.Result other = run("state-b");
    assertEquals(4, other.exitCode());
    assertTrue(other.out().contains("paused)"), other.out());

    Cli.Result unlocked =
        Cli.run(
            "unlock",
            "h1",
            "-i",
            fleet.inventory().toString(),
            "--known-hosts",
            fleet.knownHosts().toString(),
            "--state-dir",
            dir.resolve("state-a").toString());
    assertEquals(0, unlocked.exitCode(), unlocked.err());
    assertTrue(unlocked.out().contains("released the lease of h1: run="), unlocked.out());
    assertTrue(unlocked.out().contains("recorded in run"), unlocked.out());
    assertTrue(
        !Cli.run("status", pausedRun, "--state-dir", dir.resolve("state-a").toString())
            .out()
            .contains("[lease"),
        "released in the state store too");
    assertFalse(Files.exists(lock()));
    Files.delete(fleet.home("h1").resolve("fail"));
    assertEquals(0, run("state-b").exitCode(), "the host is free again");
  }
}
