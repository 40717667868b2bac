package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop whose second of three items fails, over real SSH: the host pauses at that item, and the
 * resume runs items 2 and 3 only (each item writes a file, so a rerun would show), then the step
 * that reads the loop's registered {@code results}.
 */
class LoopResumeIT {
  @TempDir Path dir;

  @Test
  void resumeContinuesAtTheFailedItemAndNeverRerunsADoneOne() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("web1", "web"))) {
      // given a loop over three load balancers whose second one fails while 'broken' exists
      Path home = fleet.home("web1");
      Files.writeString(home.resolve("broken"), "");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          name: drain
          hosts: web
          vars:
            lbs: [lb1, lb2, lb3]
          steps:
            - id: disable-lb
              shell: |
                echo run >> count-{{ item }}
                if [ {{ item }} = lb2 ] && [ -e broken ]; then echo "lb2 refused" >&2; exit 1; fi
              loop: "{{ lbs }}"
              register: drained
            - id: report
              shell: echo "{{ drained.results | length }} {{ drained.msg }}" > report
          """);
      Path state = dir.resolve("state");

      // when it runs
      Cli.Result run = Cli.run(Cli.runArgs(pb, fleet, state));

      // then it pauses at item 2, item 3 not run
      assertEquals(3, run.exitCode(), run.out() + run.err());
      assertTrue(run.out().contains("PAUSED at step disable-lb[lb2]"), run.out());
      assertEquals("run\n", Files.readString(home.resolve("count-lb1")));
      assertEquals("run\n", Files.readString(home.resolve("count-lb2")));
      assertFalse(Files.exists(home.resolve("count-lb3")));

      // and the plan of the paused run lists each item with its state
      String runId = run.runId();
      Cli.Result plan =
          Cli.run(
              "plan",
              pb.toString(),
              "-i",
              fleet.inventory().toString(),
              "--run",
              runId,
              "--state-dir",
              state.toString());
      assertTrue(plan.out().matches("(?s).*disable-lb\\[lb1]\\s+done.*"), plan.out());
      assertTrue(plan.out().matches("(?s).*disable-lb\\[lb2]\\s+retry.*"), plan.out());
      assertTrue(plan.out().matches("(?s).*disable-lb\\[lb3]\\s+run.*"), plan.out());

      // when the cause is fixed and the run resumed
      Files.delete(home.resolve("broken"));
      Cli.Result resumed =
          Cli.run(
              "resume",
              runId,
              "--state-dir",
              state.toString(),
              "--known-hosts",
              fleet.knownHosts().toString());

      // then items 2 and 3 ran, item 1 did not run again, and the register has all three
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      assertEquals("run\n", Files.readString(home.resolve("count-lb1")));
      assertEquals("run\nrun\n", Files.readString(home.resolve("count-lb2")));
      assertEquals("run\n", Files.readString(home.resolve("count-lb3")));
      assertEquals("3 All items completed\n", Files.readString(home.resolve("report")));
    }
  }

  @Test
  void anItemIsSkippedByItsIdAndItsLogsAreFoundByTheStepId() throws IOException {
    try (TestFleet fleet = TestFleet.start(dir, Map.of("web1", "web"))) {
      // given a loop whose second item always fails
      Path home = fleet.home("web1");
      Path pb = dir.resolve("pb.yml");
      Files.writeString(
          pb,
          """
          name: drain
          hosts: web
          steps:
            - id: disable-lb
              shell: "echo {{ item }} >> done-items; test {{ item }} != lb2"
              loop: [lb1, lb2, lb3]
          """);
      Path state = dir.resolve("state");
      Cli.Result run = Cli.run(Cli.runArgs(pb, fleet, state));
      assertEquals(3, run.exitCode(), run.out() + run.err());
      String runId = run.runId();

      // when the operator names an item the loop does not have, then that is refused
      Cli.Result typo =
          Cli.run(
              "resume",
              runId,
              "--skip-step",
              "disable-lb[lb9]",
              "--host",
              "web1",
              "--state-dir",
              state.toString(),
              "--known-hosts",
              fleet.knownHosts().toString());
      assertEquals(2, typo.exitCode(), typo.out() + typo.err());
      assertTrue(
          typo.err().contains("disable-lb[lb1], disable-lb[lb2], disable-lb[lb3]"), typo.err());

      // when the operator gives the item up by its id
      Cli.Result resumed =
          Cli.run(
              "resume",
              runId,
              "--skip-step",
              "disable-lb[lb2]",
              "--host",
              "web1",
              "--state-dir",
              state.toString(),
              "--known-hosts",
              fleet.knownHosts().toString());

      // then the loop goes on with item 3, and logs --step finds the items' logs
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      assertEquals("lb1\nlb2\nlb3\n", Files.readString(home.resolve("done-items")));
      Cli.Result logs =
          Cli.run(
              "logs",
              runId,
              "--host",
              "web1",
              "--step",
              "disable-lb",
              "--state-dir",
              state.toString());
      assertEquals(0, logs.exitCode(), logs.err());
      assertTrue(logs.out().contains("lb3"), logs.out());
    }
  }
}
