package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.SandboxFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Nextcloud playbook's refusals and pauses: a failure the field knows is detected before (or
 * where) it would do harm, and the pause names cause and fix.
 */
class NextcloudPreflightIT extends NextcloudPipelineHarness {
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
}
