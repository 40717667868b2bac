package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.SandboxFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Nextcloud playbook's recovery and rollback: a failed upgrade rolls back and resume starts it
 * over, abort restores, a damaged backup is refused, and what a killed updater left is finished or
 * moved aside.
 */
class NextcloudRecoveryIT extends NextcloudPipelineHarness {
  @Test
  void aStaleStepFromAKilledUpdaterIsMovedAsideNotDeleted() throws IOException {
    SandboxFleet fleet = fleet("27.1.11");
    Path step = fleet.inject("stale-step", "qa-1");
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertFalse(Files.exists(step));
      try (Stream<Path> files = Files.list(step.getParent())) {
        Path copy =
            files
                .filter(f -> f.getFileName().toString().startsWith(".step.stale-"))
                .findFirst()
                .orElseThrow();
        assertEquals(
            "{\"state\":\"start\",\"step\":5}", Files.readString(copy), "a copy is kept beside it");
      }
      assertFalse(
          Files.exists(step.resolveSibling("downloads")),
          "the archive that would make the next updater run fail is gone");
      assertTrue(
          log(r, "repair-stuck-updater")
              .contains(
                  "state start at step 5, no 'Allowed memory size' in updater.log or PHP's error log: a killed run"),
          log(r, "repair-stuck-updater"));
    }
  }

  @Test
  void aFailedOccUpgradeRollsTheHostBackAndResumeStartsItOver() throws IOException {
    SandboxFleet fleet = fleet("27.1.11");
    Path marker = fleet.inject("upgrade-fails", "qa-1");
    Path root = fleet.nextcloudRoot("qa-1");
    String dbBefore = rows(root.resolve("data/nextcloud.db"));
    String fileBefore = Files.readString(root.resolve("data/admin/files/welcome.txt"));
    Map<String, String> codeBefore = codeTree(root);
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(3, r.exitCode());
      assertTrue(
          r.out()
              .contains(
                  "occ upgrade failed (exit 5; Nextcloud keeps maintenance mode on): read data/nextcloud.log for the cause"),
          r.out());
      assertTrue(r.out().contains("[qa-1] ok       rollback-verify"), r.out());
      assertTrue(
          r.out()
              .contains(
                  "rolled back to the previous version. Fix the cause; resume then starts this host's update over"),
          r.out());
      assertTrue(
          log(r, "upgrade").contains("Updating database schema"),
          "the upgrade had started migrating");
      assertTrue(
          Files.readString(root.resolve("version.php")).contains("$OC_VersionString = '27.1.11';"),
          "old code back");
      assertEquals(
          codeBefore,
          codeTree(root),
          "the code folder as before the update, by content: " + log(r, "rollback-restore-code"));
      assertTrue(
          config(fleet).contains("'version' => '27.1.11.0',")
              && config(fleet).contains("'maintenance' => false,"));
      assertEquals(
          dbBefore, rows(root.resolve("data/nextcloud.db")), "the partial migration is undone");
      assertEquals(
          fileBefore,
          Files.readString(root.resolve("data/admin/files/welcome.txt")),
          "user files untouched");
      assertTrue(orchestrator("status", r.runId()).out().contains("qa-1  rolled back: "));

      Files.delete(marker);
      Cli.Result resumed = orchestrator("resume", r.runId());
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      assertTrue(
          resumed.out().contains("[qa-1] ok       preflight"), "started over: " + resumed.out());
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
    }
  }

  @Test
  void abortWithRollbackRestoresAFinishedHost() throws IOException {
    // given a finished update whose version.php has the size and the mtime of the backed-up one
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    String dbBefore = rows(root.resolve("data/nextcloud.db"));
    byte[] versionBefore = Files.readAllBytes(root.resolve("version.php"));
    Map<String, String> codeBefore = codeTree(root);
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
      Path backedUp = backup(fleet).resolve("code/version.php");
      Path installed = root.resolve("version.php");
      assertEquals(Files.size(backedUp), Files.size(installed), "the trap: equal size");
      assertEquals(
          Files.getLastModifiedTime(backedUp),
          Files.getLastModifiedTime(installed),
          "the trap: equal mtime, so rsync's quick check would skip the file");
      assertFalse(Arrays.equals(versionBefore, Files.readAllBytes(installed)), "new content");
      assertTrue(Files.exists(root.resolve("dist/core-main-28.js")), "the release added a file");
      Path uploaded = root.resolve("data/admin/files/after-the-update.txt");
      Files.writeString(uploaded, "a user's file, uploaded after the update\n");

      // when
      Cli.Result aborted = orchestrator("abort", r.runId(), "--rollback");

      // then the code is restored by content, and only what the update made is deleted
      assertEquals(5, aborted.exitCode(), aborted.out() + aborted.err());
      assertTrue(aborted.out().contains("[qa-1] ok       rollback-verify"), aborted.out());
      assertArrayEquals(
          versionBefore, Files.readAllBytes(installed), "version.php restored byte for byte");
      assertEquals(
          codeBefore,
          codeTree(root),
          "the code folder as before the update: the release's own files gone, the old ones back");
      assertEquals(
          "a user's file, uploaded after the update\n",
          Files.readString(uploaded),
          "data/ is not the restore's to touch");
      String restore = log(r, "rollback-restore-code");
      assertTrue(
          restore.contains(
              "with "
                  + (onPath("rsync") ? "rsync --checksum" : "tar")
                  + ": 54 entries match its manifest.sha256"),
          restore);
      assertTrue(
          config(fleet).contains("'version' => '27.1.11.0',")
              && config(fleet).contains("'maintenance' => false,"));
      assertEquals(
          dbBefore, rows(root.resolve("data/nextcloud.db")), "database rows as before the update");
    }
  }

  @Test
  void aBackupDamagedAfterItWasTakenIsNotRestored() throws IOException {
    // given a finished update whose backup changed afterwards (bit rot, a careless edit)
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(0, r.exitCode(), r.out() + r.err());
      Map<String, String> updated = codeTree(root);
      Path damaged = backup(fleet).resolve("code/lib/base.php");
      Files.writeString(damaged, Files.readString(damaged).replace("core", "c0re"));

      // when
      Cli.Result aborted = orchestrator("abort", r.runId(), "--rollback");

      // then the restore refuses, names the file and what to do, and changes nothing
      assertEquals(3, aborted.exitCode(), aborted.out() + aborted.err());
      assertTrue(
          aborted
              .out()
              .contains(
                  "no longer matches its manifest.sha256 in 1 path(s), e.g. ./lib/base.php (content differs); nothing was restored, the code folder is as the update left it. Repair the backup (or restore by hand), then retry the rollback"),
          aborted.out());
      assertEquals(
          withoutConfigPhp(updated),
          withoutConfigPhp(codeTree(root)),
          "the code folder was left alone (but for maintenance mode, on since the rollback began)");
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
    }
  }

  @Test
  void withoutRsyncTheTarFallbackRestoresByContentToo() throws Exception {
    // given a controller (and so the sandbox's hosts) whose PATH has every command but rsync
    Path bin = Files.createDirectories(dir.resolve("bin-without-rsync"));
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path folder = Path.of(d);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (Stream<Path> commands = Files.list(folder)) {
        for (Path c : commands.toList()) {
          Path link = bin.resolve(c.getFileName().toString());
          if (!c.getFileName().toString().equals("rsync") && !Files.exists(link)) {
            Files.createSymbolicLink(link, c);
          }
        }
      }
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                Cli.controllerCommand(
                    "sandbox",
                    "--dir",
                    dir.resolve("sb").toString(),
                    "--state-dir",
                    dir.resolve("state").toString(),
                    "--qa",
                    "1",
                    "--production",
                    "1",
                    "--fail-host",
                    "qa-1",
                    "--no-progress"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sandbox.log").toFile());
    pb.environment().put("PATH", bin.toString());

    // when qa-1's upgrade fails and rollback_on_failure restores it
    Process sandbox = pb.start();
    assertTrue(sandbox.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "the sandbox finished");
    String out = Files.readString(dir.resolve("sandbox.log"));

    // then the code folder equals the backup by content: the release's version.php (same size,
    // same mtime) is replaced, the release's own file is gone, data/ is untouched
    assertEquals(3, sandbox.exitValue(), out);
    assertTrue(out.contains("[qa-1] ok       rollback-verify"), out);
    SandboxFleet fleet = SandboxFleet.load(dir.resolve("sb"));
    Path root = fleet.nextcloudRoot("qa-1");
    assertEquals(
        withoutConfigPhp(codeTree(backup(fleet).resolve("code"))),
        withoutConfigPhp(codeTree(root)),
        "as backed up (config.php differs by maintenance mode: on in the backup, off now)");
    assertTrue(
        Files.readString(root.resolve("config/config.php")).contains("'version' => '27.1.11.0',"));
    assertTrue(
        Files.readString(root.resolve("version.php")).contains("$OC_VersionString = '27.1.11';"));
    assertFalse(Files.exists(root.resolve("dist/core-main-28.js")));
    assertTrue(Files.exists(root.resolve("data/admin/files/welcome.txt")));
    try (Stream<Path> runs = Files.list(dir.resolve("state/runs"))) {
      Path run = runs.findFirst().orElseThrow();
      String restore = Files.readString(run.resolve("logs/qa-1/rollback-restore-code.1.log"));
      assertTrue(restore.contains("with tar: 54 entries match its manifest.sha256"), restore);
    }
  }

  @Test
  void anUpdaterRunLeftWithOccUpgradePendingIsFinished() throws Exception {
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    try (SandboxFleet.Servers servers = fleet.start()) {
      // given an admin's `php updater.phar --no-upgrade`: code replaced, maintenance on, .step end
      // 12
      String out = updaterPhar(fleet, "-n", "--no-upgrade", "--url=" + updaterUrl(fleet));
      assertTrue(out.contains("Please execute \"./occ upgrade\" manually"), out);
      Path step = onlyUpdaterDir(root).resolve(".step");
      assertEquals("{\"state\":\"end\",\"step\":12}", Files.readString(step));
      assertTrue(config(fleet).contains("'maintenance' => true,"));

      // when the playbook runs
      Cli.Result r = runQa(fleet);

      // then it finishes the update instead of pausing on maintenance mode
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertTrue(
          log(r, "finish-updater-run")
              .contains("left occ upgrade pending, maintenance mode on; finishing it"),
          log(r, "finish-updater-run"));
      assertTrue(
          config(fleet).contains("'version' => '28.0.14.0',")
              && config(fleet).contains("'maintenance' => false,"));
      assertFalse(Files.exists(step), "occ upgrade moved it to .step-previous-update");
      assertTrue(r.out().contains("[qa-1] ok       verify"), r.out());
    }
  }
}
