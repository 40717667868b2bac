package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's one command for the console, {@code sandbox --serve}, in its own JVM: the run waits
 * at production's approval, alice (password from the sandbox's password file) approves it over the
 * API, the fleet is updated, and SIGTERM stops the process cleanly.
 */
class SandboxServeIT {
  @TempDir Path dir;

  @Test
  void sandboxServeWaitsForAliceAndFinishesWhenSheApproves() throws Exception {
    Path log = dir.resolve("sandbox.log");
    Process p =
        Cli.controller(
            log,
            "sandbox",
            "--serve",
            "--listen",
            "127.0.0.1:0",
            "--dir",
            dir.resolve("sb").toString(),
            "--state-dir",
            dir.resolve("state").toString(),
            "--no-progress");
    try {
      // given the sandbox says where the console is and that the run waits there
      String url = awaitInLog(p, log, Pattern.compile("web console at (http://\\S+/) "));
      String runId = awaitInLog(p, log, Pattern.compile("sandbox: run (\\S+) is paused"));
      String password = null;
      String oscarPassword = null;
      for (String line : Files.readAllLines(dir.resolve("sb").resolve("console-passwords.txt"))) {
        if (line.startsWith("alice ")) {
          password = line.split(" ")[2];
        }
        if (line.startsWith("oscar ")) {
          oscarPassword = line.split(" ")[2];
        }
      }
      assertTrue(password != null, "alice's password is in the password file");
      assertTrue(!Files.readString(log).contains(password), "the password is never printed");
      ConsoleClient console = new ConsoleClient(url);
      // the plan form offers the sandbox's playbook and inventory, and nothing else of its folder
      ConsoleClient.Caller oscar = console.login("oscar", oscarPassword, "/plan");
      String form = console.get(oscar, "/plan").body();
      assertTrue(form.contains("<option value=\"nextcloud-update.yml\""), form);
      assertTrue(form.contains("<option value=\"inventory.yml\""), form);
      assertTrue(!form.contains("users.yml") && !form.contains("client_key"), form);
      // when alice logs in and approves
      ConsoleClient.Caller alice = console.login("alice", password, "/runs/" + runId);
      var approve =
          console.post(
              alice, "/api/v1/runs/" + runId + "/approve", "{\"comment\":\"QA is fine\"}", true);
      assertEquals(202, approve.statusCode(), approve.body());
      // then the run finishes and production runs the new version
      console.awaitStatus(alice, runId, "succeeded", 300, () -> ConsoleClient.read(log));
      assertTrue(
          Files.readString(dir.resolve("sb/hosts/prod-4/nextcloud/config/config.php"))
              .contains("'version' => '28.0.14.0',"));
    } finally {
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sandbox --serve stops on SIGTERM");
    }
  }

  /** Waits until the log has a line matching {@code pattern}, while the process lives. */
  private static String awaitInLog(Process p, Path log, Pattern pattern) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log)) {
        Matcher m = pattern.matcher(Files.readString(log));
        if (m.find()) {
          return m.group(1);
        }
      }
      if (!p.isAlive()) {
        throw new AssertionError("sandbox --serve ended: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not seen in time: " + pattern + "\n" + Files.readString(log));
  }
}
