package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    return fleet.home("h1").resolve(".orchestrator/leases/h1.lock");
  }

  @Test
  void twoControllersOnOneHostExactlyOneProceeds() throws Exception {
    // the first run's step holds (until 'release', at most two minutes) while the second tries
    Files.writeString(fleet.home("h1").resolve("hold"), "");
    Process first =
        Cli.controller(dir.resolve("a.log"), Cli.runArgs(playbook, fleet, dir.resolve("state-a")));
    await("the first run to lease h1")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(lock()));
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
    assertTrue(
        second
            .out()
            .contains(
                "release this host with: orchestrator unlock h1 -i "
                    + fleet.inventory()
                    + " --known-hosts "
                    + fleet.knownHosts()
                    + " --state-dir "
                    + dir.resolve("state-b")),
        "the real command, not a placeholder: " + second.out());
    assertFalse(second.out().contains("INVENTORY"), second.out());
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(lock())),
        "the lease file is private to its owner");
    assertEquals(0, first.waitFor(), Files.readString(dir.resolve("a.log")));
    assertEquals(
        1,
        Files.readAllLines(fleet.home("h1").resolve("count")).size(),
        "only the first run worked on the host");
    assertFalse(Files.exists(lock()), "released when the host is done");
  }

  @Test
  void aLeaseWhoseControllerProcessIsGoneIsTakenOverAtOnceNotAfterItsTtl() throws Exception {
    // given a lease of this machine, heartbeat just renewed, whose process no longer exists
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.createDirectories(lock().getParent());
    long now = System.currentTimeMillis() / 1000;
    Files.writeString(
        lock(),
        "run=20260101-000000-old-0000 host=h1 controller="
            + InetAddress.getLocalHost().getHostName()
            + " pid="
            + gone.pid()
            + " start=proc:1 acquired="
            + now
            + " heartbeat="
            + now
            + " ttl=600 state=active\n");
    // when another run reaches the host
    Cli.Result r = run("state");
    // then it takes the lease over at once, saying whose it was
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("took over the lease of run 20260101-000000-old-0000"), r.out());
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
    assertTrue(
        refused.out().contains("release it with: orchestrator unlock h1 -i " + fleet.inventory()),
        refused.out());
    assertEquals(0, run("state", "--take-over").exitCode());
  }

  @Test
  void abortReleasesTheRunsLeasesSoTheNextRunIsNotToldToResumeIt() throws Exception {
    // given a paused run holding h1's lease
    Files.writeString(fleet.home("h1").resolve("fail"), "");
    Cli.Result paused = run("state-a");
    assertEquals(3, paused.exitCode(), paused.out() + paused.err());
    assertTrue(Files.readString(lock()).contains("state=paused"));
    // when it is aborted
    Cli.Result aborted =
        Cli.run("abort", paused.runId(), "--state-dir", dir.resolve("state-a").toString());
    // then its lease is gone, in the journal too, and the next run works on the host
    assertEquals(5, aborted.exitCode(), aborted.out() + aborted.err());
    assertTrue(aborted.out().contains("released the lease of h1."), aborted.out());
    assertFalse(Files.exists(lock()), "released on the host");
    assertFalse(
        Cli.run("status", paused.runId(), "--state-dir", dir.resolve("state-a").toString())
            .out()
            .contains("[lease"));
    Files.delete(fleet.home("h1").resolve("fail"));
    Cli.Result next = run("state-b");
    assertEquals(0, next.exitCode(), next.out());
  }

  @Test
  void abortMarksALeaseItCannotReachAndSaysHowToReleaseItLater() throws Exception {
    // given a paused run holding h1's lease, and h1 down
    Files.writeString(fleet.home("h1").resolve("fail"), "");
    Cli.Result paused = run("state-a");
    assertEquals(3, paused.exitCode(), paused.out() + paused.err());
    fleet.stop("h1");
    String stateA = dir.resolve("state-a").toString();
    // when the run is aborted
    Cli.Result aborted = Cli.run("abort", paused.runId(), "--state-dir", stateA);
    // then the abort stands, and the lease is recorded as unreleased with the way out
    assertEquals(5, aborted.exitCode(), aborted.out() + aborted.err());
    assertTrue(
        aborted.out().contains("could not release the lease of h1: cannot reach h1"),
        aborted.out());
    assertTrue(
        aborted
            .out()
            .contains(
                "release it with: orchestrator unlock h1 -i "
                    + fleet.inventory()
                    + " --known-hosts "
                    + fleet.knownHosts()
                    + " --state-dir "
                    + stateA),
        aborted.out());
    assertTrue(
        Cli.run("status", paused.runId(), "--state-dir", stateA)
            .out()
            .contains("[lease unreleased]"));
    assertTrue(Files.readString(lock()).contains("state=paused"), "still on the host");
    // and once h1 is back, aborting again releases it
    fleet.restart("h1");
    Cli.Result again = Cli.run("abort", paused.runId(), "--state-dir", stateA);
    assertEquals(5, again.exitCode(), again.out() + again.err());
    assertTrue(again.out().contains("released the lease of h1."), again.out());
    assertFalse(Files.exists(lock()));
  }

  @Test
  void twoInstancesBehindOneSshAccountDoNotBlockEachOther() throws Exception {
    // given two inventory hosts on the same machine and user (two Nextcloud instances)
    Path inventory = dir.resolve("two-instances.yml");
    Files.writeString(
        inventory,
        "all:\n  vars:\n    ansible_host: 127.0.0.1\n    user: tester\n    private_key_file: "
            + fleet.clientKey()
            + "\n    port: "
            + fleet.port("h1")
            + "\n  hosts:\n    inst1:\n    inst2:\n");
    Path pb = dir.resolve("instances.yml");
    Files.writeString(
        pb,
        "steps:\n  - id: work\n    shell: test ! -e \"fail-{{ inventory_hostname }}\" && touch \"done-{{ inventory_hostname }}\"\n");
    Files.writeString(fleet.home("h1").resolve("fail-inst1"), "");
    String[] common = {"-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString()};
    Cli.Result paused =
        Cli.run(
            concat(
                new String[] {"run", pb.toString(), "--limit", "inst1", "--state-dir"},
                dir.resolve("state-a").toString(),
                common));
    assertEquals(3, paused.exitCode(), paused.out() + paused.err());
    // when another run works on the other instance
    Cli.Result other =
        Cli.run(
            concat(
                new String[] {"run", pb.toString(), "--limit", "inst2", "--state-dir"},
                dir.resolve("state-b").toString(),
                common));
    // then it is not refused: each instance has its own lease
    assertEquals(0, other.exitCode(), other.out() + other.err());
    assertTrue(Files.exists(fleet.home("h1").resolve("done-inst2")));
    assertTrue(
        Files.readString(fleet.home("h1").resolve(".orchestrator/leases/inst1.lock"))
            .contains("state=paused"));
  }

  private static String[] concat(String[] head, String middle, String[] tail) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(head));
    all.add(middle);
    all.addAll(java.util.List.of(tail));
    return all.toArray(String[]::new);
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
