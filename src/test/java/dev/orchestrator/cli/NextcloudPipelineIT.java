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

  private Cli.Result runQa(SandboxFleet fleet) {
    return orchestrator(
        "run",
        PLAYBOOK,
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--limit",
        "qa");
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
              .contains("a killed run (out of memory, timeout, SIGKILL)"));
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
                  "is younger than 30 min and no updater process is visible: an update may be running from the web UI. Wait, then resume"),
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
                  + ": 26 entries match its manifest.sha256"),
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
      assertTrue(restore.contains("with tar: 26 entries match its manifest.sha256"), restore);
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
