package dev.orchestrator.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import dev.orchestrator.transport.ssh.SshConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's commands share one long-lived remote shell (issue #6): each command must still behave as
 * under its own {@code sh -c}, with exact output, its own exit code, and nothing leaking into the
 * next command. Real SSH server, real shell.
 */
class RemoteShellIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private Connection c;

  @BeforeEach
  void start() throws Exception {
    fleet = TestFleet.start(dir, Map.of("h1", "g"));
    c = connect(true);
  }

  @AfterEach
  void stop() throws Exception {
    c.close();
    fleet.close();
  }

  private Connection connect(boolean persistentShell) throws Exception {
    return new SshConnector(fleet.knownHosts(), false, persistentShell)
        .open(
            "h1",
            new Endpoint(
                Endpoint.Kind.SSH,
                "127.0.0.1",
                fleet.port("h1"),
                "tester",
                Optional.of(fleet.clientKey())));
  }

  private ExecResult run(String command) throws TransportException {
    return c.exec(command, Optional.empty());
  }

  @Test
  void commandsShareOneShellButEachSeesItsOwnFreshSubshell() throws Exception {
    // given a first command that changes directory, environment, options and exits non-zero
    ExecResult first = run("cd /; export LEAK=1; set -e; ulimit -n 64; echo $$; exit 4");
    // when the next command runs
    ExecResult second = run("pwd; echo ${LEAK:-unset}; echo $$");
    // then it ran in the same shell process, yet saw none of the first command's changes
    assertEquals(4, first.exitCode());
    String[] lines = second.stdout().split("\n");
    assertEquals(fleet.home("h1").toString(), lines[0]);
    assertEquals("unset", lines[1]);
    assertEquals(first.stdout().strip(), lines[2], "one long-lived shell serves both");
  }

  @Test
  void outputIsExactByteForByteAndTheStreamsStaySeparate() throws Exception {
    // when commands print without a final newline, to both streams, in UTF-8
    ExecResult r = run("printf 'a\\nb'; printf 'é-err' >&2; printf '\\n\\n' ; exit 0");
    ExecResult empty = run("true");
    // then nothing is added or lost
    assertEquals("a\nb\n\n", r.stdout());
    assertEquals("é-err", r.stderr());
    assertEquals(0, r.exitCode());
    assertEquals("", empty.stdout());
    assertEquals("", empty.stderr());
  }

  @Test
  void positionalParametersAreEmptyAsUnderShC() throws Exception {
    assertEquals("0 []\n", run("echo \"$# [$*]\"").stdout());
  }

  @Test
  void aSyntaxErrorFailsOnlyItsCommand() throws Exception {
    ExecResult bad = run("if then fi (");
    assertNotEquals(0, bad.exitCode());
    assertTrue(bad.stderr().toLowerCase(java.util.Locale.ROOT).contains("syntax"), bad.stderr());
    assertEquals("still here\n", run("echo still here").stdout());
  }

  @Test
  void outputThatImitatesTheMarkersIsOrdinaryOutput() throws Exception {
    // the real markers carry a random nonce the command cannot know
    String fake = "\n__ORCH_0000000000000000_2 0\n";
    ExecResult r = run("printf '" + fake.replace("\n", "\\n") + "'; echo after; exit 7");
    assertEquals(7, r.exitCode());
    assertEquals(fake + "after\n", r.stdout());
  }

  @Test
  void largeOutputArrivesWhole() throws Exception {
    ExecResult r = run("seq 1 200000");
    assertEquals(200000, r.stdout().lines().count());
    assertTrue(r.stdout().endsWith("\n200000\n"));
  }

  @Test
  void aTimedOutCommandIsKilledOnTheHostAndTheShellGoesOn() throws Exception {
    // when a command outlives its timeout
    ExecResult r = c.exec("sleep 31.25; echo never", Optional.of(Duration.ofMillis(500)));
    // then the call returns soon, marked timed out, the command is gone from the host
    assertTrue(r.timedOut());
    assertTrue(r.duration().toMillis() < 10_000, "returned after " + r.duration());
    assertTrue(!r.stdout().contains("never"));
    assertEquals(1, run("pgrep -f 'sleep 31[.]25'").exitCode(), "the sleep was killed");
    // and the next command runs normally
    assertEquals("ok\n", run("echo ok").stdout());
  }

  @Test
  void whenTheShellDiesTheCommandFailsAndTheNextGetsANewShell() throws Exception {
    // given the long-lived shell is killed under a command ($$ is that shell)
    String before = run("echo $$").stdout().strip();
    ExecResult killed = run("kill -9 $$; sleep 1");
    // then that command fails with the reason, and the next one runs in a new shell
    assertEquals(-1, killed.exitCode());
    assertTrue(killed.stderr().contains("remote shell ended"), killed.stderr());
    ExecResult after = run("echo $$");
    assertEquals(0, after.exitCode());
    assertNotEquals(before, after.stdout().strip());
  }

  @Test
  void aSecondThreadDoesNotWaitForTheShell() throws Exception {
    // given a slow command holds the shell (as a step does while a lease renewal comes due): it
    // says it started, then waits until the test releases it (for at most a minute)
    Path started = fleet.home("h1").resolve("slow-started");
    Path release = fleet.home("h1").resolve("slow-release");
    CompletableFuture<ExecResult> slow =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return run(
                    "touch "
                        + started
                        + "; i=0; while [ ! -e "
                        + release
                        + " ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; echo slow");
              } catch (TransportException e) {
                throw new IllegalStateException(e);
              }
            });
    // a bounded poll for the marker, not a guess at how long starting takes
    await("the slow command to start")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(25))
        .until(() -> java.nio.file.Files.exists(started));
    // when another thread runs a command meanwhile
    CompletableFuture<ExecResult> quick =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return run("echo quick");
              } catch (TransportException e) {
                throw new IllegalStateException(e);
              }
            });
    // then it takes a channel of its own and ends while the slow one is still held, instead of
    // queueing behind it (which would hold it until the slow one gave up after a minute)
    assertEquals("quick\n", quick.get(30, TimeUnit.SECONDS).stdout());
    assertTrue(!slow.isDone(), "the slow command was still running");
    java.nio.file.Files.writeString(release, "");
    assertEquals("slow\n", slow.get(30, TimeUnit.SECONDS).stdout());
  }

  @Test
  void execPerStepModeStartsAShellPerCommand() throws Exception {
    try (Connection perStep = connect(false)) {
      String a = perStep.exec("echo $$", Optional.empty()).stdout();
      String b = perStep.exec("echo $$", Optional.empty()).stdout();
      assertNotEquals(a, b);
    }
  }
}
