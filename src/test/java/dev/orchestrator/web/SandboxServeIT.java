package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
      String url =
          ConsoleClient.awaitInLog(
              p,
              log,
              Pattern.compile("web console at (http://\\S+/) "),
              Duration.ofSeconds(120),
              "sandbox --serve");
      // 300 s: it took more than 120 s on a loaded 2-core CI machine
      String runId =
          ConsoleClient.awaitInLog(
              p,
              log,
              Pattern.compile("sandbox: run (\\S+) is paused"),
              Duration.ofSeconds(300),
              "sandbox --serve");
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
}
