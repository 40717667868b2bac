package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import dev.orchestrator.sandbox.ThrowawayDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against the PostgreSQL state store (issue #15): a run over real SSH hosts whose runs
 * live in a real PostgreSQL, then status, logs and report from other processes that have only the
 * URL (and the password in a ~/.pgpass-format file).
 */
class PostgresStateCliIT {
  @TempDir Path dir;

  /** Runs the CLI in its own JVM with the environment given (and no PGPASSWORD). */
  private Cli.Result cli(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(Cli.controllerCommand(args));
    pb.environment().remove("PGPASSWORD");
    pb.environment().remove("ORCHESTRATOR_STATE");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the CLI did not finish: " + String.join(" ", args));
    }
    return new Cli.Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void runStatusLogsAndReportWorkFromAnyProcessWithTheUrl() throws Exception {
    // given a PostgreSQL database, its password in a pgpass file, and two hosts
    try (ThrowawayDatabase.Postgres db = ThrowawayDatabase.postgresOnLoopback()) {
      String password = "s3cret-" + Long.toHexString(System.nanoTime());
      db.createDatabase("orchestrator", "ops", password);
      String url = "postgresql://ops@127.0.0.1:" + db.port() + "/orchestrator";
      Path pgpass = dir.resolve("pgpass");
      Files.writeString(pgpass, "127.0.0.1:" + db.port() + ":orchestrator:ops:" + password + "\n");
      Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
      Map<String, String> groups = new LinkedHashMap<>();
      groups.put("web-1", "web");
      groups.put("web-2", "web");
      try (TestFleet fleet = TestFleet.start(dir.resolve("fleet"), groups)) {
        Path playbook = dir.resolve("pb.yml");
        Files.writeString(
            playbook,
            """
            name: shared
            steps:
              - id: hello
                shell: echo "hello from $(hostname)"
              - id: done
                shell: echo finished
            """);
        Path cache = dir.resolve("local");
        // when a run is started with ORCHESTRATOR_STATE naming the database
        Cli.Result run =
            cli(
                Map.of("ORCHESTRATOR_STATE", url, "PGPASSFILE", pgpass.toString()),
                Cli.runArgs(playbook, fleet, cache, "--no-progress"));
        assertEquals(0, run.exitCode(), run.out() + run.err());
        String id = run.runId();
        // then the run is in the database, not in the local folder
        assertFalse(Files.exists(cache.resolve("runs").resolve(id)), "no local run folder");
        assertEquals(
            "2",
            db.admin(
                    "orchestrator",
                    "SELECT count(DISTINCT subject) FROM journal WHERE run_id = '"
                        + id
                        + "'"
                        + " AND kind = 'checkpoint'")
                .strip());
        // and another process with only the URL (--state) sees its status
        Map<String, String> other = Map.of("PGPASSFILE", pgpass.toString());
        Cli.Result status = cli(other, "status", id, "--state", url);
        assertEquals(0, status.exitCode(), status.out() + status.err());
        assertTrue(status.out().contains("succeeded"), status.out());
        // its logs
        Cli.Result logs = cli(other, "logs", id, "--host", "web-2", "--state", url);
        assertEquals(0, logs.exitCode(), logs.out() + logs.err());
        assertTrue(logs.out().contains("finished"), logs.out());
        // and its report, written into this machine's folder
        Path elsewhere = dir.resolve("elsewhere");
        Cli.Result report =
            cli(other, "report", id, "--state", url, "--state-dir", elsewhere.toString());
        assertEquals(0, report.exitCode(), report.out() + report.err());
        Path html = elsewhere.resolve("reports").resolve(id).resolve("report.html");
        assertEquals(html.toString(), report.out().strip());
        assertTrue(Files.readString(html).contains("hello"), "the report shows the steps");
        // and the password was never printed
        for (Cli.Result r : List.of(run, status, logs, report)) {
          assertFalse((r.out() + r.err()).contains(password));
        }
      }
    }
  }

  @Test
  void aPasswordInTheUrlIsRefusedBeforeAnythingIsWritten() {
    List<String> args = new ArrayList<>(List.of("status", "--state"));
    args.add("postgresql://ops:hunter2@127.0.0.1:1/orchestrator");
    args.add("--state-dir");
    args.add(dir.resolve("state").toString());
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("holds a password"), r.err());
    assertTrue(r.err().contains("PGPASSWORD or ~/.pgpass"), r.err());
    assertFalse(r.err().contains("hunter2"), r.err());
    assertFalse(Files.exists(dir.resolve("state")));
  }
}
