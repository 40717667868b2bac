package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A controller killed mid-run (a separate JVM, destroyForcibly: kill -9) loses no finished step:
 * resume completes the run; detached steps run exactly once (resume re-attaches to the one that was
 * running), and a plain step caught running is in doubt until the operator decides.
 */
class KillResumeIT {
  private static final Pattern SUCCEEDED =
      Pattern.compile("\"host\":\"(\\w+)\",\"stepId\":\"(\\w+)\",\"status\":\"SUCCEEDED\"");
  private static final Pattern RUNNING =
      Pattern.compile("\"stepId\":\"(\\w+)\",\"status\":\"RUNNING\"");
  private static final List<String> STEPS = List.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");
  private static final int ALL = 3 * 8;

  @TempDir Path dir;

  private Process controller(TestFleet fleet, Path playbook, Path state) throws IOException {
    return Cli.controller(
        dir.resolve("controller-" + System.nanoTime() + ".log"),
        Cli.runArgs(playbook, fleet, state));
  }

  /**
   * A step body that first takes a ticket (one byte read from the {@link Tickets} pipe: a pipe's
   * read is atomic, so each byte goes to one step; at most two minutes of waiting for one), so that
   * the test decides how many steps can finish before the kill instead of racing their run time.
   * The step blocks in its read until a ticket is issued: no polling.
   */
  private static String ticketed(Tickets tickets, String then) {
    return "got=$(timeout 120 head -c 1 "
        + tickets.fifo()
        + ") && [ -n \"$got\" ] || exit 1; "
        + then;
  }

  /**
   * A named pipe of tickets, held open for reading and writing by the test so that writing never
   * waits for a reader and a reader never sees its end while the test runs.
   */
  private record Tickets(Path fifo, FileChannel channel) implements AutoCloseable {
    static Tickets open(Path fifo) throws IOException, InterruptedException {
      Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
      assertEquals(0, mkfifo.waitFor(), "mkfifo " + fifo);
      return new Tickets(
          fifo, FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    void issue(int n) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap("t".repeat(n).getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** 20 kill points: after this many of the 24 steps have succeeded. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void aKilledControllerResumesToCompletionAndDetachedStepsRunExactlyOnce(int killAfter)
      throws Exception {
    Map<String, String> groups = new LinkedHashMap<>();
    for (String h : List.of("h1", "h2", "h3")) {
      groups.put(h, "web");
    }
    try (TestFleet fleet = TestFleet.start(dir, groups);
        Tickets tickets = Tickets.open(dir.resolve("tickets"))) {
      // exactly killAfter steps can finish before the kill: the others wait for a ticket
      tickets.issue(killAfter);
      StringBuilder pb = new StringBuilder("name: slow\nhosts: web\nsteps:\n");
      for (String s : STEPS) {
        pb.append("  - id: ")
            .append(s)
            .append("\n    detached: true\n    shell: '")
            .append(ticketed(tickets, "echo run >> count-" + s))
            .append("'\n");
      }
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(playbook, pb.toString());
      Path state = dir.resolve("state");

      Process controller = controller(fleet, playbook, state);
      Path journal = awaitJournal(state);
      try {
        await(killAfter + " steps to succeed (or the controller to end)")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> succeeded(journal).size() >= killAfter || !controller.isAlive());
      } finally {
        controller.destroyForcibly().waitFor();
      }
      Set<String> doneBeforeKill = succeeded(journal);
      assertEquals(killAfter, doneBeforeKill.size(), "killed mid-run, after the ticketed steps");
      assertTrue(
          doneBeforeKill.size() < ALL, "killed mid-run: " + doneBeforeKill.size() + " steps done");
      tickets.issue(ALL); // every step may finish now, the ones still waiting included

      String runId = journal.getParent().getFileName().toString();
      Cli.Result resumed = Cli.run("resume", runId, "--state-dir", state.toString());
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      for (String h : groups.keySet()) {
        for (String s : STEPS) {
          Path count = fleet.home(h).resolve("count-" + s);
          int runs = Files.exists(count) ? Files.readAllLines(count).size() : 0;
          assertEquals(
              1, runs, h + "/" + s + " ran " + runs + " times (kill after " + killAfter + ")");
        }
      }
      assertEquals(ALL, succeeded(journal).size());
      assertTrue(
          succeeded(journal).containsAll(doneBeforeKill), "no finished step's checkpoint was lost");
    }
  }

  @Test
  void aPlainStepCaughtRunningIsInDoubtUntilTheOperatorDecides() throws Exception {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("h1", "web"))) {
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(
          playbook,
          "hosts: web\nsteps:\n  - id: once\n    shell: echo run >> count-once && i=0; while [ ! -e release ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done\n  - id: after\n    shell: echo run >> count-after\n");
      Path state = dir.resolve("state");
      Process controller = controller(fleet, playbook, state);
      Path journal = awaitJournal(state);
      try {
        await("step once to be journalled as running")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> RUNNING.matcher(Files.readString(journal)).find());
      } finally {
        controller.destroyForcibly().waitFor();
      }
      // the step held until the controller was dead: it was running when the kill came
      Files.writeString(fleet.home("h1").resolve("release"), "");
      String runId = journal.getParent().getFileName().toString();

      Cli.Result plan =
          Cli.run(
              "plan",
              playbook.toString(),
              "-i",
              fleet.inventory().toString(),
              "--run",
              runId,
              "--state-dir",
              state.toString());
      assertTrue(plan.out().matches("(?s).*\\n    once\\s+doubt\\n.*"), plan.out());
      Cli.Result paused = Cli.run("resume", runId, "--state-dir", state.toString());
      assertEquals(3, paused.exitCode(), paused.out());
      assertTrue(
          paused
              .out()
              .contains(
                  "step once (attempt 1) was running when the controller stopped and its outcome is unknown: check the host, then continue with resume --assume-done once --host h1"),
          paused.out());

      Cli.Result decided =
          Cli.run(
              "resume",
              runId,
              "--assume-done",
              "once",
              "--host",
              "h1",
              "--state-dir",
              state.toString());
      assertEquals(0, decided.exitCode(), decided.out() + decided.err());
      Path once = fleet.home("h1").resolve("count-once");
      assertTrue(
          !Files.exists(once) || Files.readAllLines(once).size() == 1,
          "not run again after --assume-done");
      assertEquals(1, Files.readAllLines(fleet.home("h1").resolve("count-after")).size());
    }
  }

  private static Path awaitJournal(Path state) {
    return await("the controller to create a run's journal")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> journalIn(state), Optional::isPresent)
        .get();
  }

  private static Optional<Path> journalIn(Path state) throws IOException {
    Path runs = state.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.map(d -> d.resolve("journal.jsonl")).filter(Files::exists).findFirst();
    }
  }

  private static Set<String> succeeded(Path journal) throws IOException {
    Set<String> out = new HashSet<>();
    Matcher m = SUCCEEDED.matcher(Files.readString(journal));
    while (m.find()) {
      out.add(m.group(1) + "/" + m.group(2));
    }
    return out;
  }
}
