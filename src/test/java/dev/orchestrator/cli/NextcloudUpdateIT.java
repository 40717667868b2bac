package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.SandboxFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Nextcloud playbook updating simulated instances over SSH: the full update, hop by hop, both
 * code swaps, and what the updater meets on the way but gets past.
 */
class NextcloudUpdateIT extends NextcloudPipelineHarness {
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
}
