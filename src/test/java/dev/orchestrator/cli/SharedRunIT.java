package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import dev.orchestrator.sandbox.ThrowawayDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several controllers on one run (issue 15), each its own JVM, over real SSH hosts and a real
 * PostgreSQL: a run started by one controller and joined by two workers, one of the three killed
 * with SIGKILL mid-batch; two runs contending for the same hosts; an approval given by another
 * process. Steps take a "ticket" (a file moved atomically) before they finish, so the test decides
 * how far the run gets before a kill instead of racing the steps; each step appends a line to a
 * count file on its host, so "exactly once" is read off the hosts.
 */
class SharedRunIT {
  private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4", "h5", "h6");
  private static final List<String> STEPS = List.of("s1", "s2", "s3");

  @TempDir Path dir;

  /**
   * One PostgreSQL server for the class (initdb and a start took seconds per test); each test has
   * its own database and login role on it, new and empty, so that no test sees another's runs.
   */
  private static ThrowawayDatabase.Postgres db;

  private static int databases;

  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<Process> started = new ArrayList<>();

  /** This test's database (and its role's name). */
  private String name;

  @BeforeAll
  static void startServer() throws IOException {
    db = ThrowawayDatabase.postgresOnLoopback();
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (db != null) {
      db.close();
    }
  }

  /** A new database, its password in a pgpass file, and the controllers' environment. */
  private String database() throws IOException {
    name = "orchestrator" + ++databases;
    String password = "pw-" + Long.toHexString(System.nanoTime());
    db.createDatabase(name, name, password);
    assertEquals("0", sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), name);
    Path pgpass = dir.resolve("pgpass");
    Files.writeString(
        pgpass, "127.0.0.1:" + db.port() + ":" + name + ":" + name + ":" + password + "\n");
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
    String url = "postgresql://" + name + "@127.0.0.1:" + db.port() + "/" + name;
    env.put("ORCHESTRATOR_STATE", url);
    env.put("PGPASSFILE", pgpass.toString());
    env.put("ORCHESTRATOR_CONTROLLER_TTL", "2");
    return url;
  }

  private Process start(String name, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Cli.controllerCommand(args));
    pb.environment().remove("PGPASSWORD");
    pb.environment().putAll(env);
    Process p =
        pb.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    started.add(p);
    return p;
  }

  private String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
  }

  private String sql(String query) throws IOException {
    return db.admin(name, query).strip();
  }

  private BooleanSupplier query(String query, java.util.function.Predicate<String> ok) {
    return () -> {
      try {
        return ok.test(sql(query));
      } catch (IOException e) {
        return false;
      }
    };
  }

  private static String ticketed(Path tickets, String then) {
    String t = tickets.toString();
    return "got=; i=0; while [ -z \"$got\" ]; do for t in "
        + t
        + "/avail/*; do mv \"$t\" "
        + t
        + "/used/ 2>/dev/null && got=1 && break; done; [ -n \"$got\" ] && break; i=$((i+1));"
        + " [ $i -ge 2400 ] && exit 1; sleep 0.05; done; "
        + then;
  }

  private static void issueTickets(Path tickets, int n) throws IOException {
    Files.createDirectories(tickets.resolve("used"));
    Path avail = Files.createDirectories(tickets.resolve("avail"));
    for (int i = 0; i < n; i++) {
      Files.writeString(Files.createTempFile(avail, "ticket", ""), "");
    }
  }

  private void stopAll() {
    started.forEach(Process::destroyForcibly);
    for (Process p : started) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Three controllers on one run of two batches of three hosts, each able to work on one host at a
   * time, so each holds one host of the first batch when one of them is killed: the coordinator
   * (the run's starter) or a worker. The run completes without anyone typing resume, each step ran
   * exactly once on every host (detached steps re-attach after the takeover), and no host of the
   * second batch started before the first batch was complete.
   */
  @ParameterizedTest
  @ValueSource(strings = {"coordinator", "worker"})
  void aKilledControllersHostsAreTakenOverAndTheRunCompletes(String victim) throws Exception {
    String url = database();
    Map<String, String> groups = new LinkedHashMap<>();
    HOSTS.forEach(h -> groups.put(h, "web"));
    try (TestFleet fleet = TestFleet.start(dir.resolve("fleet"), groups)) {
      Path tickets = dir.resolve("tickets");
      issueTickets(tickets, 2);
      StringBuilder pb =
          new StringBuilder(
              "name: shared\nstages:\n  - name: all\n    hosts: web\n    serial: 3\nsteps:\n");
      for (String s : STEPS) {
        pb.append("  - id: ")
            .append(s)
            .append("\n    detached: true\n    shell: '")
            .append(ticketed(tickets, "echo run >> count-" + s))
            .append("'\n");
      }
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(playbook, pb.toString());

      // given a run started by one controller (one host at a time) and joined by two workers
      Process coordinator =
          start(
              "coordinator",
              Cli.runArgs(playbook, fleet, dir.resolve("c0"), "--no-progress", "--forks", "1"));
      await("the run exists")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until((query("SELECT count(*) FROM runs", "1"::equals))::getAsBoolean);
      String runId = sql("SELECT id FROM runs");
      List<Process> workers = new ArrayList<>();
      for (int n = 1; n <= 2; n++) {
        workers.add(
            start(
                "worker" + n,
                "worker",
                "--run",
                runId,
                "--max-hosts",
                "1",
                "--known-hosts",
                fleet.knownHosts().toString(),
                "--state-dir",
                dir.resolve("c" + n).toString()));
      }
      // when each controller holds one host of the first batch and two steps have finished
      await("three controllers hold one host each")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(
              (query(
                      "SELECT count(DISTINCT claimed_by) FROM work_items WHERE state = 'claimed'",
                      "3"::equals))
                  ::getAsBoolean);
      await("two steps ran")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                try {
                  return used(tickets) == 2;
                } catch (IOException e) {
                  return false;
                }
              });
      Process killed = victim.equals("coordinator") ? coordinator : workers.get(0);
      String holder =
          sql(
              "SELECT host FROM work_items WHERE state = 'claimed' AND claimed_by LIKE '%/"
                  + killed.pid()
                  + "/%'");
      assertEquals(1, holder.lines().count(), "the victim holds one host: " + holder);
      killed.destroyForcibly().waitFor();
      issueTickets(tickets, HOSTS.size() * STEPS.size());

      // then the run completes without anyone typing resume
      await("the run succeeded")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(
              (query("SELECT status FROM runs WHERE id = '" + runId + "'", "SUCCEEDED"::equals))
                  ::getAsBoolean);
      for (Process w : workers) {
        if (w != killed) {
          assertTrue(w.waitFor(60, TimeUnit.SECONDS), "a worker of --run ends with its run");
          assertEquals(0, w.exitValue());
        }
      }
      // and every step ran exactly once on every host
      for (String h : HOSTS) {
        for (String s : STEPS) {
          Path count = fleet.home(h).resolve("count-" + s);
          int runs = Files.exists(count) ? Files.readAllLines(count).size() : 0;
          assertEquals(1, runs, h + "/" + s + " ran " + runs + " times (" + victim + " killed)");
        }
      }
      // and no host of the second batch started a step before the first batch was complete
      long lastOfFirst =
          Long.parseLong(
              sql(
                  "SELECT max(seq) FROM journal WHERE run_id = '"
                      + runId
                      + "' AND kind = 'checkpoint' AND subject IN ('h1','h2','h3')"
                      + " AND entry->>'status' = 'SUCCEEDED'"));
      long firstOfSecond =
          Long.parseLong(
              sql(
                  "SELECT min(seq) FROM journal WHERE run_id = '"
                      + runId
                      + "' AND kind = 'checkpoint' AND subject IN ('h4','h5','h6')"));
      assertTrue(
          firstOfSecond > lastOfFirst,
          "batch 2 started (journal seq "
              + firstOfSecond
              + ") after batch 1 ended ("
              + lastOfFirst
              + ")");
      assertTrue(
          (log("worker1") + log("worker2") + log("coordinator")).contains("worker: joined run"),
          "the workers joined the run");
    } finally {
      stopAll();
    }
  }

  private static long used(Path tickets) throws IOException {
    try (var s = Files.list(tickets.resolve("used"))) {
      return s.count();
    }
  }

  /**
   * Two runs on the same hosts from two controllers sharing the database: the second is refused
   * (exit 4), naming the run that holds the hosts; the first proceeds.
   */
  @Test
  void twoRunsContendingForTheSameHostsExactlyOneProceeds() throws Exception {
    database();
    try (TestFleet fleet = TestFleet.start(dir.resolve("fleet"), Map.of("h1", "web"))) {
      Path release = fleet.home("h1").resolve("release");
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(
          playbook,
          "name: contended\nhosts: web\nsteps:\n  - id: hold\n    shell: 'i=0; while [ ! -e "
              + release
              + " ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done; echo run >> count'\n");
      Process first =
          start("first", Cli.runArgs(playbook, fleet, dir.resolve("c1"), "--no-progress"));
      await("the first run holds the host")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(
              (query(
                      "SELECT count(*) FROM journal WHERE kind = 'checkpoint'"
                          + " AND entry->>'status' = 'RUNNING'",
                      "1"::equals))
                  ::getAsBoolean);
      String firstId = sql("SELECT id FROM runs");
      Process second =
          start("second", Cli.runArgs(playbook, fleet, dir.resolve("c2"), "--no-progress"));
      assertTrue(second.waitFor(90, TimeUnit.SECONDS));
      assertEquals(4, second.exitValue(), log("second"));
      assertTrue(log("second").contains(firstId), "names the holder: " + log("second"));
      Files.writeString(release, "");
      assertTrue(first.waitFor(90, TimeUnit.SECONDS));
      assertEquals(0, first.exitValue(), log("first"));
      assertEquals(1, Files.readAllLines(fleet.home("h1").resolve("count")).size());
    } finally {
      stopAll();
    }
  }

  /**
   * A run waiting at an approval gate is approved by another process on the same database (as
   * another person on another machine would), recorded with who approved, and then continues.
   */
  @Test
  void anApprovalGivenByAnotherProcessLetsTheRunContinue() throws Exception {
    database();
    try (TestFleet fleet = TestFleet.start(dir.resolve("fleet"), Map.of("h1", "web"))) {
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(
          playbook,
          """
          name: approved
          stages:
            - name: production
              hosts: web
              gates:
                - approval: "update production?"
          steps:
            - id: s1
              shell: echo run >> count
          """);
      Process run = start("run", Cli.runArgs(playbook, fleet, dir.resolve("c1"), "--no-progress"));
      assertTrue(run.waitFor(90, TimeUnit.SECONDS));
      assertEquals(3, run.exitValue(), "paused at the gate: " + log("run"));
      String id = sql("SELECT id FROM runs");
      Process approve =
          start("approve", "approve", id, "--state-dir", dir.resolve("c2").toString());
      assertTrue(approve.waitFor(90, TimeUnit.SECONDS));
      assertEquals(0, approve.exitValue(), log("approve"));
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
      assertTrue(resume.waitFor(90, TimeUnit.SECONDS));
      assertEquals(0, resume.exitValue(), log("resume"));
      assertEquals("SUCCEEDED", sql("SELECT status FROM runs WHERE id = '" + id + "'"));
      assertTrue(
          sql("SELECT entry::text FROM journal WHERE kind = 'gate'").contains("approved by "),
          "the approval records who approved");
      assertEquals(1, Files.readAllLines(fleet.home("h1").resolve("count")).size());
    } finally {
      stopAll();
    }
  }

  /**
   * A controller stopped by SIGTERM pauses the run and gives its coordination up: resume from
   * another process goes on at once instead of waiting for the lease to expire.
   */
  @Test
  void aStoppedControllerLetsResumeGoOnAtOnce() throws Exception {
    database();
    env.put("ORCHESTRATOR_CONTROLLER_TTL", "600");
    try (TestFleet fleet = TestFleet.start(dir.resolve("fleet"), Map.of("h1", "web"))) {
      Path release = fleet.home("h1").resolve("release");
      Path playbook = dir.resolve("pb.yml");
      Files.writeString(
          playbook,
          "name: stopped\nhosts: web\nsteps:\n  - id: hold\n    detached: true\n"
              + "    shell: 'i=0; while [ ! -e "
              + release
              + " ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done; echo run >> count'\n");
      Process run = start("run", Cli.runArgs(playbook, fleet, dir.resolve("c1"), "--no-progress"));
      await("the step runs")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(
              (query(
                      "SELECT count(*) FROM journal WHERE kind = 'checkpoint'"
                          + " AND entry->>'status' = 'RUNNING'",
                      "1"::equals))
                  ::getAsBoolean);
      String id = sql("SELECT id FROM runs");
      run.destroy(); // SIGTERM
      assertTrue(run.waitFor(60, TimeUnit.SECONDS));
      assertEquals("PAUSED", sql("SELECT status FROM runs WHERE id = '" + id + "'"));
      assertEquals("0", sql("SELECT count(*) FROM run_coordinators"), "coordination given up");
      Files.writeString(release, "");
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
      assertTrue(resume.waitFor(90, TimeUnit.SECONDS), log("resume"));
      assertEquals(0, resume.exitValue(), log("resume"));
      assertEquals(1, Files.readAllLines(fleet.home("h1").resolve("count")).size());
    } finally {
      stopAll();
    }
  }
}
