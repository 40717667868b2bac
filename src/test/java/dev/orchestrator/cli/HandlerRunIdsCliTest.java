package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler run that failed is addressed by the id the plan and the console show for it ({@code
 * HANDLER.FLUSH} at a {@code meta: flush_handlers} step, {@code HANDLER} at the end, {@code
 * ROLE.HANDLER} for a role's): {@code resume --skip-step/--assume-done/--rerun/--rerun-step} and
 * {@code logs --step} accept it; an id that names nothing keeps the clear error.
 */
class HandlerRunIdsCliTest {
  private Cli.Session cli;

  @TempDir Path dir;

  @BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  private static final String PLAYBOOK =
      """
      steps:
        - id: config
          shell: echo new
          notify: restart app
        - meta: flush_handlers
          id: restarted
        - id: after
          shell: echo after
      handlers:
        - id: restart
          name: restart app
          shell: echo restarting; exit 1
      """;

  private Cli.Result pausedAtTheHandler() throws Exception {
    Files.writeString(dir.resolve("pb.yml"), PLAYBOOK);
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result run =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            dir.resolve("state").toString());
    assertEquals(3, run.exitCode(), run.out() + run.err());
    return run;
  }

  private Cli.Result resume(String runId, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("resume", runId, "--state-dir", dir.resolve("state").toString()));
    args.addAll(List.of(extra));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void aFailedHandlerRunIsSkippedByItsRunId() throws Exception {
    // given a run paused at the handler's run at the flush step
    Cli.Result run = pausedAtTheHandler();
    // when the operator skips it by the id the console showed
    Cli.Result resumed = resume(run.runId(), "--skip-step", "restart.restarted", "--host", "h1");
    // then the host continues after it
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("after"), resumed.out());
    Cli.Result status =
        cli.run("status", run.runId(), "--state-dir", dir.resolve("state").toString());
    assertTrue(status.out().contains("succeeded"), status.out());
  }

  @Test
  void aFailedHandlerRunIsAssumedDoneOrRerunByItsRunId() throws Exception {
    // given a run paused at the handler's run
    Cli.Result run = pausedAtTheHandler();
    // when it is rerun by its id (it fails again), then assumed done
    Cli.Result rerun = resume(run.runId(), "--rerun", "restart.restarted", "--host", "h1");
    assertEquals(3, rerun.exitCode(), rerun.out() + rerun.err());
    Cli.Result done = resume(run.runId(), "--assume-done", "restart.restarted", "--host", "h1");
    // then the run ends
    assertEquals(0, done.exitCode(), done.out() + done.err());
    // and --rerun-step names the succeeded handler run by its id too
    Cli.Result again = resume(run.runId(), "--rerun-step", "restart.restarted");
    assertTrue(
        again.exitCode() == 0 || again.exitCode() == 3,
        "accepted, not an input error: " + again.out() + again.err());
  }

  @Test
  void logsOfAHandlerRunAreFoundByItsRunId() throws Exception {
    // given a run paused at the handler's run
    Cli.Result run = pausedAtTheHandler();
    // when its logs are asked for by its id
    Cli.Result logs =
        cli.run(
            "logs",
            run.runId(),
            "--host",
            "h1",
            "--step",
            "restart.restarted",
            "--state-dir",
            dir.resolve("state").toString());
    // then they are printed
    assertEquals(0, logs.exitCode(), logs.out() + logs.err());
    assertTrue(logs.out().contains("restarting"), logs.out());
  }

  @Test
  void anIdThatNamesNoStepNorHandlerRunIsRefusedNamingTheHandlerRuns() throws Exception {
    // given a run paused at the handler's run
    Cli.Result run = pausedAtTheHandler();
    for (String[] args :
        new String[][] {
          {"--skip-step", "restart.nope", "--host", "h1"}, {"--rerun-step", "restart.nope"}
        }) {
      // when resume names a handler run that does not exist
      Cli.Result refused = resume(run.runId(), args);
      // then it is refused, naming the handler runs there are
      assertEquals(2, refused.exitCode(), refused.out() + refused.err());
      assertTrue(refused.err().contains("has no step 'restart.nope'"), refused.err());
      assertTrue(refused.err().contains("restart.restarted"), refused.err());
    }
  }
}
