package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deferred, expensive and tagged steps, and any_errors_fatal, over real SSH. */
class LifecycleIT {
  @TempDir Path dir;

  private static int count(TestFleet fleet, String host, String step) throws IOException {
    Path f = fleet.home(host).resolve("count-" + step);
    return Files.exists(f) ? Files.readAllLines(f).size() : 0;
  }

  @Test
  void deferredExpensiveAndTaggedSteps() throws IOException {
    Map<String, String> groups = new LinkedHashMap<>();
    groups.put("a1", "web");
    groups.put("a2", "web");
    try (TestFleet fleet = TestFleet.start(dir, groups)) {
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          stages:
            - {name: web, hosts: web, serial: 1}
          steps:
            - {id: main, detached: true, shell: "echo run >> count-main"}
            - {id: reindex, deferred: true, shell: "test -e count-main && echo run >> count-reindex"}
            - {id: repair, expensive: true, shell: "echo run >> count-repair"}
            - {id: debug, tags: [debug, never], shell: "echo run >> count-debug"}
            - {id: web, tags: [web], shell: "echo run >> count-web"}
          """);
      String[] base = {
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--state-dir",
        dir.resolve("state").toString()
      };
      Cli.Result plan =
          Cli.run(concat(new String[] {"plan", pb.toString(), "--skip-tags", "web"}, base));
      assertTrue(plan.out().matches("(?s).*\\n    reindex~\\s+run\\n.*"), plan.out());
      assertTrue(plan.out().matches("(?s).*\\n    repair\\s+-\\n.*"), plan.out());
      assertTrue(plan.out().matches("(?s).*\\n    web\\s+-\\n.*"), plan.out());

      Cli.Result run =
          Cli.run(concat(new String[] {"run", pb.toString(), "--skip-tags", "web"}, base));
      assertEquals(0, run.exitCode(), run.out() + run.err());
      for (String h : groups.keySet()) {
        assertEquals(1, count(fleet, h, "main"));
        assertTrue(
            !Files.exists(fleet.home(h).resolve(".orchestrator/runs"))
                || isEmpty(fleet.home(h).resolve(".orchestrator/runs")),
            "a detached step's records are removed when the host is done");
        assertEquals(1, count(fleet, h, "reindex"), "deferred steps run after the pipeline");
        assertEquals(0, count(fleet, h, "repair"), "expensive steps need --include-expensive");
        assertEquals(0, count(fleet, h, "debug"), "'never' steps need --tags debug");
        assertEquals(0, count(fleet, h, "web"), "--skip-tags web");
      }
      Cli.Result again =
          Cli.run(
              concat(
                  new String[] {"run", pb.toString(), "--include-expensive", "--tags", "debug,all"},
                  base));
      assertEquals(0, again.exitCode(), again.out() + again.err());
      assertEquals(1, count(fleet, "a1", "repair"));
      assertEquals(1, count(fleet, "a1", "debug"));
    }
  }

  @Test
  void anyErrorsFatalStopsTheBatchsOtherHosts() throws IOException {
    Map<String, String> groups = new LinkedHashMap<>();
    groups.put("f1", "web");
    groups.put("f2", "web");
    try (TestFleet fleet = TestFleet.start(dir, groups)) {
      Files.writeString(fleet.home("f1").resolve("fail"), "");
      Path pb = dir.resolve("pb.yml");
      // f1 fails only once f2's first step is under way, so that f2 is stopped mid-batch, not
      // before it started (a race that faster connections made likely); and f2's step ends only
      // once f1 has been reported finished (its host_finished event in the run's events.jsonl,
      // emitted after the batch was told to stop), not after a sleep that a slow machine outlasts
      Path started = dir.resolve("f2-started");
      Path state = dir.resolve("state");
      Files.writeString(
          pb,
          """
          stages:
            - {name: web, hosts: web, any_errors_fatal: true}
          steps:
            - id: first
              shell: >-
                if [ -e fail ]; then
                for i in $(seq 1200); do [ -e %1$s ] && break; sleep 0.05; done; exit 1; fi;
                touch %1$s;
                for i in $(seq 2400); do
                grep -h '"event":"host_finished"' %2$s/runs/*/events.jsonl 2>/dev/null
                | grep -q '"host":"f1"' && break; sleep 0.05; done;
                echo run >> count-first
            - {id: second, shell: "echo run >> count-second"}
          """
              .formatted(started, state));
      Cli.Result run = Cli.run(Cli.runArgs(pb, fleet, state));
      assertEquals(3, run.exitCode());
      assertEquals(1, count(fleet, "f2", "first"), "the running step finishes");
      assertEquals(0, count(fleet, "f2", "second"), "but the next one does not start");
      assertTrue(
          run.out()
              .contains(
                  "[f2] PAUSED at step second: stopped before step second: another host of the batch failed (any_errors_fatal)"),
          run.out());
      assertTrue(run.out().contains("the stage has any_errors_fatal"), run.out());
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
