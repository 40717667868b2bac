package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL state store restarted under a running controller (issue 15): the controller waits
 * for it, sending no command meanwhile, and continues when it is back, nothing lost; when it stays
 * away longer than the outage budget, the controller stops with exit 6 and resume completes the run
 * from another process. Each step appends a line to a count file on its host: "exactly once" is
 * read off the hosts.
 */
class StateOutageIT {
  private static final List<String> HOSTS = List.of("h1", "h2");
  private static final List<String> STEPS = List.of("s1", "s2", "s3");

  @TempDir Path dir;

  private ThrowawayDatabase.Postgres db;
  private final Map<String, String> env = new LinkedHashMap<>();

  private void database() throws IOException {
    db = ThrowawayDatabase.postgresOnLoopback();
    String password = "pw-" + Long.toHexString(System.nanoTime());
    db.createDatabase("orchestrator", "ops", password);
    Path pgpass = dir.resolve("pgpass");
    Files.writeString(pgpass, "127.0.0.1:" + db.port() + ":orchestrator:ops:" + password + "\n");
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
    env.put("ORCHESTRATOR_STATE", "postgresql://ops@127.0.0.1:" + db.port() + "/orchestrator");
    env.put("PGPASSFILE", pgpass.toString());
  }

  private Process start(String name, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Cli.controllerCommand(args));
    pb.environment().remove("PGPASSWORD");
    pb.environment().putAll(env);
    return pb.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private String sql(String query) throws IOException {
    return db.admin("orchestrator", query).strip();
  }

  /** A playbook whose first step waits for a file the test creates; every step counts its runs. */
  private Path playbook(Path release) throws IOException {
    StringBuilder pb = new StringBuilder("name: outage\nhosts: web\nsteps:\n");
    for (String s : STEPS) {
      String wait =
          s.equals("s1")
              ? "i=0; while [ ! -e "
                  + release
                  + " ] && [ $i -lt 2400 ]; do sleep 0.05;"
                  + " i=$((i+1)); done; "
              : "";
      pb.append("  - id: ")
          .append(s)
          .append("\n    detached: true\n    shell: '")
          .append(wait)
          .append("echo run >> count-")
          .append(s)
          .append("'\n");
    }
    Path playbook = dir.resolve("pb.yml");
    Files.writeString(playbook, pb.toString());
    return playbook;
  }

  private void awaitFirstStepsRunning() throws InterruptedException {
    await("s1 runs on both hosts")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              try {
                return sql("SELECT count(*) FROM journal WHERE kind = 'checkpoint' AND step = 's1'"
                        + " AND entry->>'status' = 'RUNNING'")
                    .equals("2");
              } catch (IOException e) {
                return false;
              }
            });
  }

  private void assertEveryStepRanOnce(TestFleet fleet) throws IOException {
    for (String h : HOSTS) {
      for (String s : STEPS) {
        Path count = fleet.home(h).resolve("count-" + s);
        int runs = Files.exists(count) ? Files.readAllLines(count).size() : 0;
        assertEquals(1, runs, h + "/" + s + " ran " + runs + " times");
      }
    }
  }

  @Test
  void aControllerWaitsForARestartedDatabaseAndContinues() throws Exception {
    database();
    Map<String, String> groups = new LinkedHashMap<>();
    HOSTS.forEach(h -> groups.put(h, "web"));
    try (TestFleet fleet = TestFleet.start(dir.resolve("fleet"), groups)) {
      Path release = dir.resolve("release");
      Process run =
          start("run", Cli.runArgs(playbook(release), fleet, dir.resolve("c"), "--no-progress"));
      // given a run whose first steps are running
      awaitFirstStepsRunning();
      String id = sql("SELECT id FROM runs");
      // when the database stops, and the steps finish meanwhile
      db.stop();
      Files.writeString(release, "");
      await("the controller waits for the database")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> log("run").contains("is unreachable"));
      assertTrue(run.isAlive(), "the controller waits instead of failing");
      for (String h : HOSTS) {
        assertFalse(
            Files.exists(fleet.home(h).resolve("count-s2")),
            "no command is sent while the result of s1 cannot be recorded");
      }
      db.start();
      // then the run completes once the database is back, nothing lost
      assertTrue(run.waitFor(120, TimeUnit.SECONDS), log("run"));
      assertEquals(0, run.exitValue(), log("run"));
      assertTrue(log("run").contains("is back: continuing"), log("run"));
      assertEveryStepRanOnce(fleet);
      assertEquals("SUCCEEDED", sql("SELECT status FROM runs WHERE id = '" + id + "'"));
      assertEquals(
          "6",
          sql(
              "SELECT count(*) FROM (SELECT DISTINCT ON (subject, step) entry->>'status' AS st"
                  + " FROM journal WHERE kind = 'checkpoint' ORDER BY subject, step, seq DESC) x"
                  + " WHERE st = 'SUCCEEDED'"));
    } finally {
      db.close();
    }
  }

  @Test
  void aDatabaseAwayLongerThanTheBudgetStopsTheControllerAndResumeCompletes() throws Exception {
    database();
    env.put("ORCHESTRATOR_DB_OUTAGE", "2");
    Map<String, String> groups = new LinkedHashMap<>();
    HOSTS.forEach(h -> groups.put(h, "web"));
    try (TestFleet fleet = TestFleet.start(dir.resolve("fleet"), groups)) {
      Path release = dir.resolve("release");
      Path playbook = playbook(release);
      Process run = start("run", Cli.runArgs(playbook, fleet, dir.resolve("c"), "--no-progress"));
      awaitFirstStepsRunning();
      String id = sql("SELECT id FROM runs");
      // when the database stays away longer than the budget
      db.stop();
      Files.writeString(release, "");
      assertTrue(run.waitFor(120, TimeUnit.SECONDS), log("run"));
      // then the controller stops with exit 6, saying how to continue
      assertEquals(6, run.exitValue(), log("run"));
      assertTrue(log("run").contains("stayed unreachable for 2 s"), log("run"));
      assertTrue(log("run").contains("orchestrator resume"), log("run"));
      // and once it is back, resume from another process completes the run, each step once
      db.start();
      Process resume =
          start(
              "resume",
              "resume",
              id,
              "--known-hosts",
              fleet.knownHosts().toString(),
              "--state-dir",
              dir.resolve("c2").toString(),
              "--no-progress");
      assertTrue(resume.waitFor(120, TimeUnit.SECONDS), log("resume"));
      assertEquals(0, resume.exitValue(), log("resume"));
      assertEveryStepRanOnce(fleet);
    } finally {
      db.close();
    }
  }
}
