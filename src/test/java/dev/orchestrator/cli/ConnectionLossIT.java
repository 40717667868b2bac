package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TcpProxy;
import dev.orchestrator.sandbox.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TCP proxy between the controller and the SSH server cuts the connection in the middle of a
 * step: a detached step goes on and is re-attached on resume; a plain one is in doubt.
 */
class ConnectionLossIT {
  @TempDir Path dir;

  /**
   * A step body that says it started, then holds until the test has cut the connection and created
   * {@code release} (at most a minute): the cut always lands mid-step, however slow the machine,
   * instead of racing a {@code sleep}.
   */
  private static final String HELD_STEP =
      "touch started && i=0; while [ ! -e release ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; echo run >> count";

  private Cli.Result cutMidStep(TestFleet fleet, TcpProxy proxy, Path playbook) throws Exception {
    String line =
        Files.readAllLines(fleet.knownHosts())
            .get(0)
            .replace("]:" + fleet.port("h1") + " ", "]:" + proxy.port() + " ");
    Files.writeString(dir.resolve("proxy_known_hosts"), line + "\n");
    Files.writeString(
        fleet.inventory(),
        Files.readString(fleet.inventory())
            .replace("port: " + fleet.port("h1"), "port: " + proxy.port()));
    Thread cutter =
        new Thread(
            () -> {
              try {
                try {
                  await("the held step to start")
                      .atMost(Duration.ofSeconds(60))
                      .pollInterval(Duration.ofMillis(20))
                      .until(() -> Files.exists(fleet.home("h1").resolve("started")));
                } catch (ConditionTimeoutException notStarted) {
                  // cut anyway: the run's assertions then say what the run did instead
                }
                proxy.cutAll();
                Files.writeString(fleet.home("h1").resolve("release"), "");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    cutter.start();
    Cli.Result r =
        Cli.run(
            "run",
            playbook.toString(),
            "-i",
            fleet.inventory().toString(),
            "--known-hosts",
            dir.resolve("proxy_known_hosts").toString(),
            "--state-dir",
            dir.resolve("state").toString());
    cutter.join();
    return r;
  }

  @Test
  void aDetachedStepSurvivesTheCutAndIsReattached() throws Exception {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web"));
        TcpProxy proxy = new TcpProxy(fleet.port("h1"))) {
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(
          playbook,
          "hosts: web\nsteps:\n  - id: long\n    detached: true\n    shell: '" + HELD_STEP + "'\n");
      Cli.Result cut = cutMidStep(fleet, proxy, playbook);
      assertEquals(3, cut.exitCode(), cut.out());
      assertTrue(cut.out().contains("connection lost during step long (attempt 1)"), cut.out());
      assertTrue(cut.out().contains("resume re-attaches to it"), cut.out());
      Cli.Result resumed =
          Cli.run("resume", cut.runId(), "--state-dir", dir.resolve("state").toString());
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      assertEquals(
          1,
          Files.readAllLines(fleet.home("h1").resolve("count")).size(),
          "the command ran once, through the cut");
    }
  }

  @Test
  void aPlainStepCutMidwayIsInDoubt() throws Exception {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web"));
        TcpProxy proxy = new TcpProxy(fleet.port("h1"))) {
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(
          playbook, "hosts: web\nsteps:\n  - id: plain\n    shell: '" + HELD_STEP + "'\n");
      Cli.Result cut = cutMidStep(fleet, proxy, playbook);
      assertEquals(3, cut.exitCode(), cut.out());
      Cli.Result resumed =
          Cli.run("resume", cut.runId(), "--state-dir", dir.resolve("state").toString());
      assertEquals(3, resumed.exitCode(), resumed.out());
      assertTrue(
          resumed
              .out()
              .contains(
                  "step plain (attempt 1) was running when the controller stopped and its outcome is unknown"),
          resumed.out());
      Cli.Result rerun =
          Cli.run(
              "resume",
              cut.runId(),
              "--rerun",
              "plain",
              "--host",
              "h1",
              "--state-dir",
              dir.resolve("state").toString());
      assertEquals(0, rerun.exitCode(), rerun.out() + rerun.err());
    }
  }
}
