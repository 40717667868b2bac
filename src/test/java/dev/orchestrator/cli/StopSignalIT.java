package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A controller (its own JVM) stopped by SIGTERM or SIGINT while a step runs leaves the run paused
 * with a reason and its host's lease marked paused, not "running" with an active lease.
 */
class StopSignalIT {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  @TempDir Path dir;
  @TempDir Path home;

  @AfterEach
  void release() throws Exception {
    Files.writeString(dir.resolve("go"), ""); // ends the step's loop, which outlives its JVM
  }

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "INT"})
  void aSignalLeavesTheRunPausedWithAReasonAndItsLeaseMarkedPaused(String signal) throws Exception {
    // given a controller whose step blocks on nc1
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: block\n    shell: touch "
            + dir
            + "/started; i=0; while [ ! -e "
            + dir
            + "/go ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\n"
            + "  - id: after\n    shell: touch "
            + dir
            + "/after\n");
    Files.writeString(
        dir.resolve("inv.yml"), "all:\n  hosts:\n    nc1:\n      connection: local\n");
    Path state = dir.resolve("state");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.orchestrator.cli.Main",
                "run",
                dir.resolve("pb.yml").toString(),
                "-i",
                dir.resolve("inv.yml").toString(),
                "--state-dir",
                state.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    // local hosts live in $HOME, as the shell's ~ does (issue 22): the test's home, not the
    // account's
    builder.environment().put("HOME", home.toString());
    Process controller =
        builder
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("controller.log").toFile())
            .start();
    await("the step to start")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(dir.resolve("started")));
    // when the controller gets the signal
    Process kill =
        new ProcessBuilder("kill", "-s", signal, Long.toString(controller.pid())).start();
    assertEquals(0, kill.waitFor());
    assertTrue(controller.waitFor(60, TimeUnit.SECONDS), "the controller ends");
    // then the run is paused with a reason, and the lease says paused
    String log = Files.readString(dir.resolve("controller.log"));
    String runId;
    try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
      runId = runs.findFirst().orElseThrow().getFileName().toString();
    }
    Cli.Result status = cli.run("status", runId, "--state-dir", state.toString(), "-o", "json");
    assertTrue(status.out().contains("\"status\" : \"PAUSED\""), status.out() + log);
    assertTrue(
        status.out().contains("the controller process was stopped (SIGTERM, SIGINT or SIGHUP)"),
        status.out());
    String lease = Files.readString(home.resolve(".orchestrator/leases/nc1.lock"));
    assertTrue(lease.startsWith("run=" + runId + " host=nc1 "), lease);
    assertTrue(lease.contains(" state=paused"), lease);
    assertTrue(log.contains("next: orchestrator resume " + runId), log);
    assertFalse(Files.exists(dir.resolve("after")), "no step after the signal");
    // and resume continues it (the step caught running is in doubt: the operator decides)
    Files.writeString(dir.resolve("go"), "");
    cli = Cli.withLocalHome(home);
    Cli.Result resumed;
    try {
      resumed =
          cli.run(
              "resume",
              runId,
              "--state-dir",
              state.toString(),
              "--assume-done",
              "block",
              "--host",
              "nc1");
    } finally {
    }
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertTrue(Files.exists(dir.resolve("after")));
  }
}
