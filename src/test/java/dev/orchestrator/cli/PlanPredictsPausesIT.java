package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.SandboxFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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
    "young-step, repair-stuck-updater, changed less than 30 min ago and no updater process is visible",
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
    } else if (inject.equals("young-step")) {
      // a .step the web updater (php-fpm, no process of its own) may be writing right now
      Path young = fleet.inject("stale-step", "qa-1");
      Files.setLastModifiedTime(young, FileTime.from(Instant.now()));
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

  @Test
  void planCheckPredictsTheRepairOfAnOldStaleStepAndLeavesItInPlace() throws Exception {
    // given a .step a killed updater left hours ago (older than updater_grace_minutes)
    SandboxFleet fleet = SandboxFleet.create(dir.resolve("sb"), 1, 1, "27.1.11", "28.0.14");
    Path step = fleet.inject("stale-step", "qa-1");
    String content = Files.readString(step);
    FileTime mtime = Files.getLastModifiedTime(step);
    try (SandboxFleet.Servers servers = fleet.start()) {
      // when plan --check probes it (repair-stuck-updater runs with check_mode true)
      Cli.Result plan = cli(fleet, "plan", "--check");
      // then it predicts that the run repairs it, and no pause
      assertEquals(0, plan.exitCode(), plan.out() + plan.err());
      assertTrue(
          Pattern.compile("(?m)^\\s+repair-stuck-updater\\s+run$").matcher(plan.out()).find(),
          plan.out());
      assertFalse(plan.out().contains("qa-1 will pause"), plan.out());
      // and the probe changed nothing: the .step is in place with its content, no copy was made,
      // the downloads are where they were
      assertEquals(content, Files.readString(step));
      assertEquals(mtime, Files.getLastModifiedTime(step));
      try (Stream<Path> files = Files.list(step.getParent())) {
        assertEquals(
            java.util.List.of(".step", "downloads"),
            files.map(f -> f.getFileName().toString()).sorted().toList());
      }
      // and the run then does move it aside
      Cli.Result run = cli(fleet, "run", "--state-dir", dir.resolve("state").toString());
      assertEquals(0, run.exitCode(), run.out() + run.err());
      assertFalse(Files.exists(step));
    }
  }
}
