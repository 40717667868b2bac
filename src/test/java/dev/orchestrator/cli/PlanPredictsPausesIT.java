package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.SandboxFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code plan --check} predicts the preflight pauses the run then hits (issue 12, "Bugs found"):
 * every step that declares {@code check:} is probed, and a probe that fails predicts the pause at
 * that step with the message the run pauses with; the host's later steps are not reached.
 */
class PlanPredictsPausesIT {
  private static final String PLAYBOOK = Path.of("playbooks/nextcloud-update.yml").toString();

  @TempDir Path dir;

  private Cli.Result cli(SandboxFleet fleet, String command, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                command,
                PLAYBOOK,
                "-i",
                fleet.inventory().toString(),
                "--known-hosts",
                fleet.knownHosts().toString(),
                "--limit",
                "qa"));
    args.addAll(java.util.List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "low-memory, check-memory, PHP memory_limit is 128M, below 512M",
    "stray-file, check-files, unknown files in the web root: nextcloud-backup-old.tar.gz.",
    "maintenance, preflight, the instance is in maintenance mode",
  })
  void planCheckPredictsThePauseTheRunHitsWithItsMessage(
      String inject, String step, String expected) throws Exception {
    // given a QA instance with a failure the field knows (sandbox --inject, or maintenance left on)
    SandboxFleet fleet = SandboxFleet.create(dir.resolve("sb"), 1, 1, "27.1.11", "28.0.14");
    if (inject.equals("maintenance")) {
      Path config = fleet.nextcloudRoot("qa-1").resolve("config/config.php");
      Files.writeString(
          config,
          Files.readString(config).replace("'maintenance' => false,", "'maintenance' => true,"));
    } else {
      fleet.inject(inject, "qa-1");
    }
    try (SandboxFleet.Servers servers = fleet.start()) {
      // when plan --check probes it
      Cli.Result plan = cli(fleet, "plan", "--check");
      // then it predicts the pause at that step, with the message, and the later steps blocked
      assertEquals(0, plan.exitCode(), plan.out() + plan.err());
      Matcher m =
          Pattern.compile("qa-1 will pause at " + Pattern.quote(step) + ": (.*)")
              .matcher(plan.out());
      assertTrue(m.find(), plan.out());
      String message = m.group(1);
      assertTrue(message.contains(expected), message);
      assertTrue(
          Pattern.compile("(?m)^\\s+" + Pattern.quote(step) + "\\s+pause$")
              .matcher(plan.out())
              .find(),
          plan.out());
      assertTrue(
          Pattern.compile("(?m)^\\s+maintenance-on\\s+blocked$").matcher(plan.out()).find(),
          plan.out());
      // and when the run runs, it pauses there with the same message
      Cli.Result run = cli(fleet, "run", "--state-dir", dir.resolve("state").toString());
      assertEquals(3, run.exitCode(), run.out() + run.err());
      assertTrue(run.out().contains("[qa-1] PAUSED at step " + step + ": " + message), run.out());
    }
  }
}
