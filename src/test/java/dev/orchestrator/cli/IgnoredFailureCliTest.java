package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step that failed with {@code ignore_errors: true} shows as failed and ignored, as Ansible's
 * {@code FAILED! ... ...ignoring} and its recap's {@code ignored=}: in the console, the JSON events
 * ({@code status: ignored}), the HTML report and {@code status}; never as {@code ok}.
 */
class IgnoredFailureCliTest {
  private Cli.Session cli;

  @TempDir Path dir;

  @BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  private Cli.Result run(String... extra) throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        steps:
          - id: probe
            shell: echo probing; exit 3
            ignore_errors: true
          - id: after
            shell: echo after
        """);
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                dir.resolve("pb.yml").toString(),
                "-i",
                dir.resolve("inv.yml").toString(),
                "--state-dir",
                dir.resolve("state").toString()));
    args.addAll(List.of(extra));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void theConsoleShowsTheFailureAsIgnoredAndCountsIt() throws Exception {
    // when a run has a step that fails with ignore_errors
    Cli.Result run = run();
    // then the run goes on and succeeds
    assertEquals(0, run.exitCode(), run.out() + run.err());
    // and the step's line says it failed and was ignored, with its exit code, not ok
    assertTrue(
        run.out().lines().anyMatch(l -> l.matches("\\[h1] ignored\\s+probe\\s+exit 3 .*")),
        run.out());
    assertFalse(run.out().lines().anyMatch(l -> l.matches("\\[h1] ok\\s+probe.*")), run.out());
    // and the recap counts it as Ansible's does (ok and ignored)
    assertTrue(run.out().matches("(?s).*h1\\s+ok=2 .*failed=0\\s+ignored=1.*"), run.out());
  }

  @Test
  void theEventsTheReportAndStatusSayIgnored() throws Exception {
    // when the run's events are JSON
    Cli.Result run = run("--output", "json");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    // then the step's step_finished says status ignored
    assertTrue(
        run.out()
            .lines()
            .anyMatch(
                l ->
                    l.contains("\"event\":\"step_finished\"")
                        && l.contains("\"step\":\"probe\"")
                        && l.contains("\"status\":\"ignored\"")),
        run.out());
    String runId =
        run.out()
            .lines()
            .filter(l -> l.contains("\"run_id\""))
            .findFirst()
            .orElseThrow()
            .replaceAll(".*\"run_id\":\"([^\"]+)\".*", "$1");
    // and the HTML report colours it as ignored
    Cli.Result report = cli.run("report", runId, "--state-dir", dir.resolve("state").toString());
    assertEquals(0, report.exitCode(), report.out() + report.err());
    Path html;
    try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
      html = files.filter(p -> p.getFileName().toString().equals("report.html")).findFirst().get();
    }
    assertTrue(
        Files.readString(html).contains("probe · attempt 1 · ignored"), Files.readString(html));
    // and status names the ignored failure
    Cli.Result status = cli.run("status", runId, "--state-dir", dir.resolve("state").toString());
    assertTrue(status.out().contains("failed, ignored: probe"), status.out());
  }
}
