package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.cli.Cli;
import dev.orchestrator.playbook.Role;
import dev.orchestrator.sandbox.TestFleet;
import dev.orchestrator.sandbox.ThrowawayDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over the shared PostgreSQL store, each part its own process as in a team: a run over
 * real SSH hosts started by one JVM pauses at its approval gate; {@code serve --state URL} in
 * another JVM (password from a pgpass file, never on a command line) lets alice approve it in the
 * API, and the console's process finishes the run; the gate's record in the database names her.
 */
class WebConsolePostgresIT {
  @TempDir Path dir;

  private Process start(Map<String, String> env, Path log, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Cli.controllerCommand(args));
    pb.environment().remove("PGPASSWORD");
    pb.environment().remove("ORCHESTRATOR_STATE");
    pb.environment().putAll(env);
    return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Test
  void aRunInPostgresIsApprovedFromTheConsoleOfAnotherProcess() throws Exception {
    try (ThrowawayDatabase.Postgres db = ThrowawayDatabase.postgresOnLoopback()) {
      String password = "s3cret-" + Long.toHexString(System.nanoTime());
      db.createDatabase("orchestrator", "ops", password);
      String url = "postgresql://ops@127.0.0.1:" + db.port() + "/orchestrator";
      Path pgpass = dir.resolve("pgpass");
      Files.writeString(pgpass, "127.0.0.1:" + db.port() + ":orchestrator:ops:" + password + "\n");
      Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
      Map<String, String> env = Map.of("PGPASSFILE", pgpass.toString());
      Map<String, String> groups = new LinkedHashMap<>();
      groups.put("qa-1", "qa");
      groups.put("prod-1", "production");
      try (TestFleet fleet = TestFleet.start(dir.resolve("fleet"), groups)) {
        Path playbook = dir.resolve("pb.yml");
        Files.writeString(
            playbook,
            """
            name: shared-console
            stages:
              - name: qa
                hosts: qa
              - name: production
                hosts: production
                gates:
                  - approval: "promote?"
            steps:
              - id: hello
                shell: echo hello >> count
            """);
        // given a run in PostgreSQL, paused at its approval gate by its own process
        Path runLog = dir.resolve("run.log");
        List<String> runArgs =
            new ArrayList<>(
                List.of(
                    Cli.runArgs(
                        playbook, fleet, dir.resolve("local-1"), "--state", url, "--no-progress")));
        Process run = start(env, runLog, runArgs.toArray(String[]::new));
        assertTrue(run.waitFor(3, TimeUnit.MINUTES));
        assertEquals(3, run.exitValue(), Files.readString(runLog));
        Matcher id = Pattern.compile("run (\\S+) paused").matcher(Files.readString(runLog));
        assertTrue(id.find(), Files.readString(runLog));
        String runId = id.group(1);
        // and a console in another process, with alice as an approver
        Path users = dir.resolve("users.yml");
        Users.loadOrEmpty(users).with("alice", Role.APPROVER, ConsoleFixture.PASSWORD).save(users);
        var withToken = Users.load(users).withNewToken("alice");
        withToken.getKey().save(users);
        Path serveLog = dir.resolve("serve.log");
        Process serve =
            start(
                env,
                serveLog,
                "serve",
                "--state",
                url,
                "--listen",
                "127.0.0.1:0",
                "--users",
                users.toString(),
                "--state-dir",
                dir.resolve("local-2").toString());
        try {
          String base = awaitUrl(serve, serveLog);
          ConsoleClient console = new ConsoleClient(base);
          ConsoleClient.Caller alice = ConsoleClient.Caller.token(withToken.getValue());
          // when alice approves through the API
          var approve =
              console.post(
                  alice, "/api/v1/runs/" + runId + "/approve", "{\"comment\":\"go\"}", false);
          assertEquals(202, approve.statusCode(), approve.body());
          // then the console's process finishes the run
          console.awaitStatus(alice, runId, "succeeded", 90, () -> ConsoleClient.read(serveLog));
          assertEquals(1, Files.readAllLines(fleet.home("prod-1").resolve("count")).size());
          assertEquals(1, Files.readAllLines(fleet.home("qa-1").resolve("count")).size());
          String record =
              db.admin(
                  "orchestrator",
                  "SELECT count(*) FROM journal WHERE run_id = '"
                      + runId
                      + "' AND kind = 'gate' AND entry::text LIKE '%approved by alice (web console, from 127.0.0.1): go%'");
          assertEquals("1", record.strip(), "the gate's record names alice");
        } finally {
          serve.destroy();
          assertTrue(serve.waitFor(60, TimeUnit.SECONDS));
        }
      }
    }
  }

  private static String awaitUrl(Process p, Path log) {
    return ConsoleClient.awaitInLog(
        p,
        log,
        Pattern.compile("the web console is at (http://\\S+/)"),
        Duration.ofSeconds(60),
        "serve");
  }
}
