package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.SandboxFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Nextcloud playbook against simulated instances over SSH, one failure the field knows per
 * test: the pipeline detects it, pauses with a message naming cause and fix, and after the fix
 * resume completes; rollback restores the previous version and data.
 */
class NextcloudPipelineIT {
  private static final String PLAYBOOK = Path.of("playbooks/nextcloud-update.yml").toString();

  @TempDir Path dir;

  private SandboxFleet fleet(String from) throws IOException {
    return SandboxFleet.create(dir.resolve("sb"), 1, 1, from, "28.0.14");
  }

  private Cli.Result orchestrator(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  private Cli.Result runQa(SandboxFleet fleet, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                PLAYBOOK,
                "-i",
                fleet.inventory().toString(),
                "--known-hosts",
                fleet.knownHosts().toString(),
                "--limit",
                "qa"));
    args.addAll(List.of(extra));
    return orchestrator(args.toArray(String[]::new));
  }

  private static String config(SandboxFleet fleet) throws IOException {
    return Files.readString(fleet.nextcloudRoot("qa-1").resolve("config/config.php"));
  }

  @Test
  void aFullUpdateFixesIndicesAppsAndAnswersOnStatusPhp() throws IOException {
    SandboxFleet fleet = fleet("27.1.11");
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
      Path data = fleet.nextcloudRoot("qa-1").resolve("data");
      assertFalse(
          Files.exists(data.resolve(".sandbox-missing-indices")),
          "the deferred db:add-missing-indices ran");
      String apps =
          Files.readString(fleet.nextcloudRoot("qa-1").resolve("config/sandbox-apps.txt"));
      assertTrue(
          apps.contains("calendar 4.6.0 yes 28"),
          "updated from the app store and re-enabled: " + apps);
      assertTrue(apps.contains("legacyapp 1.0.0 no 27"), apps);
      assertTrue(r.out().contains("[qa-1] WARNING  apps"), r.out());
      assertTrue(
          r.out()
              .contains(
                  "app legacyapp stays disabled: no version compatible with Nextcloud 28.0.14"),
          r.out());
      assertTrue(
          Files.isDirectory(fleet.nextcloudRoot("qa-1").resolve("apps/legacyapp")),
          "non-shipped apps survive the code swap");
      String verify = log(r, "verify");
      verify = verify.substring(verify.indexOf("] out: "));
      assertTrue(verify.contains("\"versionstring\":\"28.0.14\""), verify);
      assertEquals(
          2,
          verify.split("\"versionstring\":\"28.0.14\"", -1).length - 1,
          "occ status and GET status.php both answered: " + verify);
    }
  }

  @Test
  void lowMemoryLimitIsCaughtBeforeAnythingChanges() throws IOException {
    SandboxFleet fleet = fleet("27.1.11");
    Path ini = fleet.inject("low-memory", "qa-1");
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(3, r.exitCode());
      assertTrue(
          r.out()
              .contains(
                  "PAUSED at step check-memory: exit code 1: PHP memory_limit is 128M, below 512M: raise memory_limit in the CLI php.ini, then resume"),
          r.out());
      assertTrue(config(fleet).contains("'maintenance' => false,"), "nothing changed");
      Files.writeString(ini, "memory_limit = 1G\n");
      Cli.Result resumed = orchestrator("resume", r.runId());
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
    }
  }

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
  void aFreshStepMayBelongToAWebUpdateAndPauses() throws IOException {
    SandboxFleet fleet = fleet("27.1.11");
    Path step = fleet.inject("stale-step", "qa-1");
    step.toFile().setLastModified(System.currentTimeMillis());
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(3, r.exitCode());
      assertTrue(
          r.out()
              .contains(
                  "changed less than 30 min ago and no updater process is visible: an update may be running from the web UI. Wait, then resume"),
          r.out());
      assertTrue(Files.exists(step), "never interfere with what may be a live update");
    }
  }

  @Test
  void strayFilesInTheWebRootPauseWithTheirNames() throws IOException {
    SandboxFleet fleet = fleet("27.1.11");
    Path stray = fleet.inject("stray-file", "qa-1");
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(3, r.exitCode());
      assertTrue(
          r.out().contains("unknown files in the web root: nextcloud-backup-old.tar.gz."), r.out());
      Files.move(stray, dir.resolve("moved-away.tar.gz"));
      assertEquals(0, orchestrator("resume", r.runId()).exitCode());
    }
  }

  @Test
  void aMajorVersionSkipIsRefusedWithNextcloudsRule() throws IOException {
    SandboxFleet fleet = fleet("26.0.13");
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(3, r.exitCode());
      assertTrue(
          r.out()
              .contains(
                  "Nextcloud cannot skip major versions ('Updates between multiple major versions and downgrades are unsupported.'): installed 26.0.13, target 28.0.14. Update one major at a time: set upgrade_path to a chain such as"),
          r.out());
      assertTrue(config(fleet).contains("'maintenance' => false,"), "refused before any change");
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
  void aChainOfHopsGoesOneMajorAtATimeEachHopCheckpointed() throws IOException {
    SandboxFleet fleet =
        SandboxFleet.create(
            dir.resolve("sb"), 1, 1, "26.0.13", "28.0.14", List.of("27.1.12", "28.0.14"));
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result plan =
          orchestrator(
              "plan",
              PLAYBOOK,
              "-i",
              fleet.inventory().toString(),
              "--limit",
              "qa",
              "-e",
              "upgrade_path=27.1.12,28.0.14");
      assertTrue(
          plan.out().contains("upgrade@27.1.12") && plan.out().contains("upgrade@28.0.14"),
          plan.out());
      Cli.Result r =
          orchestrator(
              "run",
              PLAYBOOK,
              "-i",
              fleet.inventory().toString(),
              "--known-hosts",
              fleet.knownHosts().toString(),
              "--limit",
              "qa",
              "-e",
              "upgrade_path=27.1.12,28.0.14");
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertTrue(
          r.out().indexOf("[qa-1] changed  upgrade@27.1.12")
              < r.out().indexOf("[qa-1] changed  background-jobs@27.1.12"),
          r.out());
      assertTrue(
          r.out().indexOf("[qa-1] changed  background-jobs@27.1.12")
              < r.out().indexOf("[qa-1] changed  upgrade@28.0.14"),
          r.out());
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
      assertTrue(
          rows(fleet.nextcloudRoot("qa-1").resolve("data/nextcloud.db")).contains("core|27.1.12.0"),
          "the 27 migrations ran on the way");
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"updater", "manual"})
  void bothCodeSwapsKeepWellKnownCustomAppsAndTheOperatorsFilesInBackupRoot(String swap)
      throws IOException {
    // given a tree with .well-known/ and custom_apps/ (declared in apps_paths), an operator's file
    // in backup_root (named like a backup, older than any), and an earlier run's backup there
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    Path acme = root.resolve(".well-known/acme-challenge/sandbox-token");
    Path customApp = root.resolve("custom_apps/mycustomapp/appinfo/info.xml");
    String acmeBefore = Files.readString(acme);
    String customBefore = Files.readString(customApp);
    Path backups = root.resolveSibling("backups");
    Path operators = backups.resolve("nextcloud-backup-old.tar.gz");
    Files.writeString(operators, "an old backup the operator moved here\n");
    Files.setLastModifiedTime(
        operators, java.nio.file.attribute.FileTime.fromMillis(946_684_800_000L));
    Path earlier = Files.createDirectories(backups.resolve("nextcloud-27.1.10-20240101T000000"));
    Files.writeString(
        earlier.resolve(".orchestrator-backup"),
        "orchestrator backup-code run=earlier host=qa-1 epoch=1704067200\n");

    try (SandboxFleet.Servers servers = fleet.start()) {
      // when the update runs through the given code swap, keeping one backup
      Cli.Result r = runQa(fleet, "-e", "code_swap=" + swap, "-e", "backups_kept=1");

      // then the target version runs and nothing the real updater keeps is lost
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
      assertTrue(Files.readString(root.resolve("version.php")).contains("'28.0.14'"), "new code");
      assertEquals(acmeBefore, Files.readString(acme), ".well-known kept");
      assertEquals(customBefore, Files.readString(customApp), "custom_apps kept");
      assertEquals(
          "an old backup the operator moved here\n",
          Files.readString(operators),
          "cleanup deletes only backups it made");
      assertFalse(Files.exists(earlier), "the earlier run's backup beyond backups_kept is gone");
      String swapLog = log(r, "replace-code");
      assertTrue(
          swapLog.contains(swap.equals("updater") ? "by updater.phar" : "(manual swap)"), swapLog);
      assertTrue(
          swapLog.contains(
              "kept: .well-known/ custom_apps/; non-shipped apps kept: calendar legacyapp"),
          swapLog);
      assertTrue(
          Files.isDirectory(root.resolve("apps/calendar")), "non-shipped apps survive the swap");
      assertFalse(Files.exists(root.resolve("dist/core-main-27.js")), "old release files gone");
      try (Stream<Path> left = Files.list(backups)) {
        assertEquals(2, left.count(), "this run's backup and the operator's file");
      }
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

  @Test
  void aLiveUpdaterFoundByItsWorkingDirectoryIsNeverTouched() throws Exception {
    // given `cd updater && php updater.phar` running (its command line does not name the install)
    // and the .step it would own, old enough to look abandoned
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    Path step = fleet.inject("stale-step", "qa-1");
    Process live =
        new ProcessBuilder("bash", "-c", "exec -a 'php updater.phar' sleep 600")
            .directory(root.resolve("updater").toFile())
            .start();
    try (SandboxFleet.Servers servers = fleet.start()) {
      // when
      Cli.Result r = runQa(fleet);

      // then the host pauses and the .step stays
      assertEquals(3, r.exitCode(), r.out());
      assertTrue(
          r.out()
              .contains("an updater.phar process is running for this instance (pid " + live.pid()),
          r.out());
      assertTrue(Files.exists(step), "never interfere with a live updater");
      assertTrue(config(fleet).contains("'maintenance' => false,"), "nothing changed");

      live.destroy();
      live.waitFor();
      Cli.Result resumed = orchestrator("resume", r.runId());
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    } finally {
      live.destroyForcibly();
    }
  }

  @Test
  void theUnknownFilesCheckAgreesWithTheUpdatersList() throws Exception {
    // given entries the updater's getExpectedElementsList accepts, and three it does not
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    for (String accepted :
        List.of(
            "CHANGELOG.md",
            "COPYING-AGPL",
            "custom.d.ts",
            "cypress.d.ts",
            "indie.json",
            "db_structure.xml")) {
      Files.writeString(root.resolve(accepted), "shipped by some release\n");
    }
    Files.createDirectories(root.resolve("settings"));
    for (String refused : List.of(".editorconfig", ".mailmap", ".tag")) {
      Files.writeString(root.resolve(refused), "not in the updater's list\n");
    }
    try (SandboxFleet.Servers servers = fleet.start()) {
      // when
      Cli.Result r = runQa(fleet);
      String updater = updaterPhar(fleet, "-n", "--no-upgrade", "--url=" + updaterUrl(fleet));

      // then the playbook pauses on exactly the three the updater stand-in refuses
      assertEquals(3, r.exitCode(), r.out());
      assertTrue(
          r.out().contains("unknown files in the web root: .editorconfig .mailmap .tag."), r.out());
      assertTrue(
          updater.contains(
              "The following extra files have been found:\n    .editorconfig\n    .mailmap\n    .tag\n"),
          updater);
      for (String refused : List.of(".editorconfig", ".mailmap", ".tag")) {
        Files.delete(root.resolve(refused));
      }
      Cli.Result resumed = orchestrator("resume", r.runId());
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    }
  }

  @Test
  void aStepLeftByAnOutOfMemoryIsNamedAsSuch() throws IOException {
    SandboxFleet fleet = fleet("27.1.11");
    fleet.inject("oom-step", "qa-1");
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);
      assertEquals(0, r.exitCode(), r.out() + r.err());
      String repair = log(r, "repair-stuck-updater");
      assertTrue(
          repair.contains(
              "state start at step 5, left by PHP running out of memory: PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted"),
          repair);
      assertTrue(
          repair.contains("both it and updater.log are older than updater_grace_minutes (30 min)"),
          repair);
    }
  }

  @Test
  void anArchiveLeftInDownloadsDoesNotFailTheUpdater() throws IOException {
    // given the complete archive a failed updater run left in downloads/ (no .step: a caught
    // failure removes it); the updater's resumed download of it would get HTTP 416
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    Path step = fleet.inject("stale-step", "qa-1");
    Files.delete(step);
    Path left = step.resolveSibling("downloads/nextcloud-28.0.14.zip");
    Files.copy(
        root.getParent().getParent().getParent().resolve("releases/nextcloud-28.0.14.zip"),
        left,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet, "-e", "code_swap=updater");
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertTrue(
          log(r, "replace-code")
              .contains(
                  "an archive left there makes the updater's resumed download fail (HTTP 416"),
          log(r, "replace-code"));
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
    }
  }

  @Test
  void aFailedUpdaterStepPausesAtReplaceCodeWithItsCause() throws Exception {
    // given an updater_url that answers 404: the updater's "Downloading" fails (exit 255)
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    Map<String, String> codeBefore = codeTree(root);
    try (SandboxFleet.Servers servers = fleet.start()) {
      String missing = updaterUrl(fleet).replace("nextcloud-28.0.14.zip", "nextcloud-28.0.99.zip");
      // when
      Cli.Result r = runQa(fleet, "-e", "code_swap=updater", "-e", "updater_url=" + missing);

      // then the host pauses at replace-code naming the updater's cause and the fix
      assertEquals(3, r.exitCode(), r.out() + r.err());
      assertTrue(
          r.out()
              .contains(
                  "PAUSED at step replace-code: exit code 1: updater.phar failed (exit 255): All"
                      + " downloads failed. See updater logs for more information. (its download"
                      + " failed: check updater_url and "),
          r.out());
      assertTrue(
          r.out().contains("rolled back to the previous version. Fix the cause; resume then"),
          r.out());
      assertTrue(log(r, "replace-code").contains("[✘] Downloading failed"));
      // the updater failed before its step 7 (maintenance on) and removed its .step; the rollback
      // undid the playbook's maintenance mode: the instance is as before
      assertFalse(Files.exists(onlyUpdaterDir(root).resolve(".step")), "a caught failure");
      assertEquals(codeBefore, codeTree(root), "code unchanged");
      assertTrue(
          config(fleet).contains("'version' => '27.1.11.0',")
              && config(fleet).contains("'maintenance' => false,"),
          config(fleet));
    }
  }

  @Test
  void anUpdaterThatCannotReachItsUpdateServerPausesWithThatCause() throws Exception {
    // given no updater_url: the updater asks its update server, which the sandbox does not have
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    Map<String, String> codeBefore = codeTree(root);
    try (SandboxFleet.Servers servers = fleet.start()) {
      // when
      Cli.Result r = runQa(fleet, "-e", "code_swap=updater", "-e", "updater_url=");

      // then it pauses at replace-code with the updater's uncaught error and what to do
      assertEquals(3, r.exitCode(), r.out() + r.err());
      assertTrue(
          r.out()
              .contains(
                  "PAUSED at step replace-code: exit code 1: updater.phar stopped on an error it"
                      + " did not handle (exit 1): Could not do request to updater server: Could"
                      + " not resolve host: updates.nextcloud.com (it cannot reach its update"
                      + " server: set updater_url to the 28.0.14 zip, or a proxy in config.php;"
                      + " then resume)"),
          r.out());
      assertTrue(
          r.out().contains("rolled back to the previous version. Fix the cause; resume then"),
          r.out());
      assertEquals(codeBefore, codeTree(root), "code unchanged");
      assertTrue(
          config(fleet).contains("'version' => '27.1.11.0',")
              && config(fleet).contains("'maintenance' => false,"),
          config(fleet));
    }
  }

  @Test
  void aConfigPhpOwnedByAnotherUserPausesBeforeAnyOccRunsWithSudoU() throws Exception {
    // given config.php owned by nobody, while the steps run occ (and the updater) as this user
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    Path config = root.resolve("config/config.php");
    java.nio.file.attribute.UserPrincipal me = Files.getOwner(config);
    java.nio.file.attribute.UserPrincipal nobody =
        config.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(config, nobody);
    try (SandboxFleet.Servers servers = fleet.start()) {
      String refusal = updaterPhar(fleet, "-n", "--no-upgrade", "--url=" + updaterUrl(fleet));
      assertTrue(
          refusal.contains(
              "Console has to be executed with the user that owns the file config/config.php"),
          "the updater itself would refuse: " + refusal);

      // when
      Cli.Result r = runQa(fleet, "-e", "code_swap=updater");

      // then the first step catches it, before occ's refusal could read as "not installed", and
      // suggests sudo -u nobody
      assertEquals(3, r.exitCode(), r.out() + r.err());
      assertTrue(
          r.out()
              .contains(
                  "PAUSED at step check-occ-user: exit code 1: config/config.php is owned by"
                      + " nobody, but the steps would run occ as "
                      + me.getName()),
          r.out());
      assertTrue(r.out().contains("Fix: run them as nobody, i.e. sudo -u nobody"), r.out());
      assertFalse(
          r.out().contains("finish-updater-run"), "paused before any step runs occ: " + r.out());
      assertTrue(config(fleet).contains("'maintenance' => false,"), "nothing changed");

      // and after the fix, resume completes
      Files.setOwner(config, me);
      Cli.Result resumed = orchestrator("resume", r.runId());
      assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
    } finally {
      Files.setOwner(config, me);
    }
  }

  @Test
  void anUpdaterBackupFolderCollisionIsRetriedAndTheUpdateSucceeds() throws Exception {
    // given another updater run that made this second's backup folder first (once)
    SandboxFleet fleet = fleet("27.1.11");
    Path root = fleet.nextcloudRoot("qa-1");
    Path marker = root.resolve("data/.sandbox-updater-backup-collision");
    Files.writeString(marker, "the next updater run collides on its backup folder\n");
    try (SandboxFleet.Servers servers = fleet.start()) {
      // when
      Cli.Result r = runQa(fleet, "-e", "code_swap=updater");

      // then the first attempt fails at "Create backup", the second installs the release
      assertEquals(0, r.exitCode(), r.out() + r.err());
      String swap = log(r, "replace-code");
      assertTrue(swap.contains("[✘] Create backup failed"), swap);
      assertTrue(
          swap.contains(
              "retrying updater.phar (attempt 2): its backup folder is named by the second"),
          swap);
      assertTrue(swap.contains("by updater.phar"), swap);
      assertFalse(Files.exists(marker), "the collision happened");
      assertTrue(config(fleet).contains("'version' => '28.0.14.0',"));
      try (Stream<Path> backups = Files.list(onlyUpdaterDir(root).resolve("backups"))) {
        assertEquals(2, backups.count(), "the other run's folder and the retry's own");
      }
    }
  }

  /**
   * Runs the instance's updater.phar stand-in as an admin would: cd updater && php updater.phar.
   */
  private static String updaterPhar(SandboxFleet fleet, String... args) throws Exception {
    Path root = fleet.nextcloudRoot("qa-1");
    List<String> cmd =
        new ArrayList<>(List.of(root.resolveSibling("bin/php").toString(), "updater.phar"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(root.resolve("updater").toFile())
            .redirectErrorStream(true);
    pb.environment().put("HOME", root.getParent().toString());
    Process p = pb.start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** The updater_url the sandbox's inventory gives, for qa-1's target version. */
  private static String updaterUrl(SandboxFleet fleet) throws IOException {
    String line =
        Files.readAllLines(fleet.inventory()).stream()
            .filter(l -> l.trim().startsWith("updater_url:"))
            .findFirst()
            .orElseThrow();
    return line.substring(line.indexOf('\'') + 1, line.lastIndexOf('\''))
        .replace("{{ target_version }}", fleet.toVersion());
  }

  private static Path onlyUpdaterDir(Path root) throws IOException {
    try (Stream<Path> dirs = Files.list(root.resolve("data"))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("updater-oc"))
          .findFirst()
          .orElseThrow();
    }
  }

  /**
   * The rows of the instance's database: queried with sqlite3 when the sandbox made a real SQLite
   * database, else its lines.
   */
  private static String rows(Path db) throws IOException {
    if (!SandboxFleet.sqlite3Available()) {
      return Files.readString(db);
    }
    Process p =
        new ProcessBuilder(
                "sqlite3",
                db.toString(),
                "SELECT 'oc_migrations|' || app || '|' || version FROM oc_migrations; SELECT 'oc_users|' || uid FROM oc_users;")
            .redirectErrorStream(true)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      assertEquals(0, p.waitFor(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  /**
   * A code folder by content: relative path → SHA-256 of each file, {@code dir} for each directory,
   * without {@code data/} (what a backup covers).
   */
  private static Map<String, String> codeTree(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.toList()) {
        Path rel = root.relativize(p);
        if (rel.toString().isEmpty() || rel.startsWith("data")) {
          continue;
        }
        tree.put(
            rel.toString(),
            Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                ? "dir"
                : HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return tree;
  }

  private static Map<String, String> withoutConfigPhp(Map<String, String> tree) {
    Map<String, String> rest = new TreeMap<>(tree);
    rest.remove("config/config.php");
    return rest;
  }

  /** The one backup folder of qa-1. */
  private static Path backup(SandboxFleet fleet) throws IOException {
    try (Stream<Path> backups = Files.list(fleet.nextcloudRoot("qa-1").resolveSibling("backups"))) {
      List<Path> all = backups.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  private static boolean onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, command))) {
        return true;
      }
    }
    return false;
  }

  /** The log of a step on qa-1 in the run of {@code r}. */
  private String log(Cli.Result r, String step) throws IOException {
    return Files.readString(
        dir.resolve("state/runs").resolve(r.runId()).resolve("logs/qa-1").resolve(step + ".1.log"));
  }
}
