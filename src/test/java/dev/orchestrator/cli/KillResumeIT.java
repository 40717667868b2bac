package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller killed mid-run (a separate JVM, destroyForcibly: kill -9) loses no finished step:
 * resume completes the run and runs no succeeded step again.
 */
class KillResumeIT {
  private static final Pattern SUCCEEDED =
      Pattern.compile("\"host\":\"(\\w+)\",\"stepId\":\"(\\w+)\",\"status\":\"SUCCEEDED\"");
  private static final List<String> STEPS = List.of("s1", "s2", "s3", "s4", "s5", "s6");

  @TempDir Path dir;

  @Test
  void aKilledControllerResumesToCompletion() throws Exception {
    // given three hosts and a playbook of slow steps that count their executions
    Map<String, String> groups = new LinkedHashMap<>();
    for (String h : List.of("h1", "h2", "h3")) {
      groups.put(h, "web");
    }
    try (TestFleet fleet = TestFleet.start(dir, groups)) {
      StringBuilder pb = new StringBuilder("name: slow\nhosts: web\nsteps:\n");
      for (String s : STEPS) {
        pb.append("  - id: ")
            .append(s)
            .append("\n    shell: sleep 0.3 && echo run >> count-")
            .append(s)
            .append('\n');
      }
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(playbook, pb.toString());
      Path state = dir.resolve("state");

      // when the controller runs in its own JVM and is killed after some steps succeeded
      Process controller =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.orchestrator.cli.Main",
                  "run",
                  playbook.toString(),
                  "-i",
                  fleet.inventory().toString(),
                  "--known-hosts",
                  fleet.knownHosts().toString(),
                  "--state-dir",
                  state.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("controller.log").toFile())
              .start();
      Path journal = awaitJournal(state);
      long deadline = System.currentTimeMillis() + 60_000;
      while (succeeded(journal).size() < 7
          && System.currentTimeMillis() < deadline
          && controller.isAlive()) {
        Thread.sleep(20);
      }
      controller.destroyForcibly().waitFor();
      Set<String> doneBeforeKill = succeeded(journal);
      assertTrue(
          doneBeforeKill.size() >= 7 && doneBeforeKill.size() < 18,
          "killed mid-run: " + doneBeforeKill.size() + " steps done");

      // then resume completes the run
      String runId = journal.getParent().getFileName().toString();
      Cli.Result resumed = Cli.run("resume", runId, "--state-dir", state.toString());
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      // and no step that had succeeded ran again; every step ran
      for (String h : groups.keySet()) {
        for (String s : STEPS) {
          Path count = fleet.home(h).resolve("count-" + s);
          int runs = Files.exists(count) ? Files.readAllLines(count).size() : 0;
          if (doneBeforeKill.contains(h + "/" + s)) {
            assertEquals(
                1, runs, h + "/" + s + " succeeded before the kill and must not run again");
          } else {
            assertTrue(runs >= 1 && runs <= 2, h + "/" + s + " ran " + runs + " times");
          }
        }
      }
      assertEquals(18, succeeded(journal).size());
    }
  }

  private static Path awaitJournal(Path state) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      Path runs = state.resolve("runs");
      if (Files.isDirectory(runs)) {
        try (Stream<Path> s = Files.list(runs)) {
          var journal = s.map(d -> d.resolve("journal.jsonl")).filter(Files::exists).findFirst();
          if (journal.isPresent()) {
            return journal.get();
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the controller never created a run");
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
