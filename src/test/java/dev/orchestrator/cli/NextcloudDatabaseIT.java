package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.SandboxDatabase;
import dev.orchestrator.sandbox.SandboxFleet;
import dev.orchestrator.sandbox.ThrowawayDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playbook's database backup and restore against real databases (issue 12): for SQLite, MariaDB
 * and PostgreSQL, a run whose {@code occ upgrade} writes a migration (a row and a table) and then
 * fails is rolled back, and the database holds exactly its rows and tables of before.
 */
class NextcloudDatabaseIT {
  private static final String PLAYBOOK = Path.of("playbooks/nextcloud-update.yml").toString();

  /** A password with what breaks naive quoting: quotes, backslash, $, #, ;, space, comma. */
  private static final String HOSTILE_PASSWORD = "p'a\"ss w$rd#;\\x,`y";

  @TempDir Path dir;

  private SandboxFleet fleet() throws IOException {
    return SandboxFleet.create(dir.resolve("sb"), 1, 1, "27.1.11", "28.0.14");
  }

  private Cli.Result runQa(SandboxFleet fleet) {
    return Cli.run(
        "run",
        PLAYBOOK,
        "-i",
        fleet.inventory().toString(),
        "--known-hosts",
        fleet.knownHosts().toString(),
        "--limit",
        "qa",
        "--state-dir",
        dir.resolve("state").toString());
  }

  @Test
  void mariaDbIsRestoredAfterAFailedUpgrade() throws IOException {
    try (ThrowawayDatabase.MariaDb server = ThrowawayDatabase.mariaDb()) {
      SandboxDatabase.Server db =
          server.createNextcloudDatabase("nextcloud", "ncuser", HOSTILE_PASSWORD);
      restoredAfterAFailedUpgrade(db, "SHOW TABLES");
    }
  }

  @Test
  void postgresIsRestoredAfterAFailedUpgradeByAUserWithoutCreatedb() throws IOException {
    try (ThrowawayDatabase.Postgres server = ThrowawayDatabase.postgres()) {
      SandboxDatabase.Server db =
          server.createNextcloudDatabase("nextcloud", "ncuser", HOSTILE_PASSWORD);
      restoredAfterAFailedUpgrade(
          db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    }
  }

  /**
   * Given an instance on {@code db} whose upgrade fails after its migration wrote, when the run
   * rolls it back, then rows and tables are as before, and the password was never stored.
   */
  private void restoredAfterAFailedUpgrade(SandboxDatabase.Server db, String tablesQuery)
      throws IOException {
    SandboxFleet fleet = fleet();
    fleet.useDatabase("qa-1", db);
    fleet.inject("upgrade-fails", "qa-1");
    String rowsQuery =
        "SELECT app, version FROM oc_migrations ORDER BY 1, 2; SELECT uid FROM oc_users ORDER BY 1;";
    String rowsBefore = db.execute(rowsQuery);
    String tablesBefore = db.execute(tablesQuery);
    assertTrue(rowsBefore.contains("27.1.11.0") && rowsBefore.contains("admin"), rowsBefore);
    try (SandboxFleet.Servers servers = fleet.start()) {
      Cli.Result r = runQa(fleet);

      assertEquals(3, r.exitCode(), r.out() + r.err());
      assertTrue(
          r.out().contains("occ upgrade failed (exit 5"), "the upgrade ran and failed: " + r.out());
      assertTrue(r.out().contains("[qa-1] ok       rollback-verify"), r.out());
      assertEquals(rowsBefore, db.execute(rowsQuery), "the rows as before the update");
      assertEquals(
          tablesBefore, db.execute(tablesQuery), "the migration's table is gone, no other table");
      assertFalse(db.execute(rowsQuery).contains("28.0.14"), "the migration's row is gone");
      String backup = log(r, "backup-db");
      assertTrue(backup.contains("database nextcloud") && backup.contains("db.sha256"), backup);
      assertTrue(
          log(r, "rollback-restore-db").contains("restored from"), log(r, "rollback-restore-db"));
      try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertFalse(
              Files.readString(f, StandardCharsets.ISO_8859_1).contains(HOSTILE_PASSWORD),
              "the database password is in " + f);
        }
      }
    }
  }

  @Test
  void sqliteWithoutDbnameUsesNextcloudsDefaultOwncloudDb() throws IOException {
    // given an instance whose config.php has no dbname: Nextcloud's file is data/owncloud.db
    Assumptions.assumeTrue(SandboxFleet.sqlite3Available(), "needs sqlite3");
    SandboxFleet fleet = fleet();
    fleet.useDatabase("qa-1", new SandboxDatabase.Sqlite(Optional.empty()));
    fleet.inject("upgrade-fails", "qa-1");
    Path db = fleet.nextcloudRoot("qa-1").resolve("data/owncloud.db");
    assertTrue(Files.exists(db));
    String before =
        sqlite(db, "SELECT app || '|' || version FROM oc_migrations; SELECT uid FROM oc_users;");
    try (SandboxFleet.Servers servers = fleet.start()) {
      // when its upgrade fails after writing a migration
      Cli.Result r = runQa(fleet);

      // then the backup and the restore used data/owncloud.db, not data/.db
      assertEquals(3, r.exitCode(), r.out() + r.err());
      assertTrue(r.out().contains("occ upgrade failed (exit 5"), r.out());
      assertTrue(log(r, "backup-db").contains("SQLite database " + db + " ("), log(r, "backup-db"));
      assertEquals(
          before,
          sqlite(db, "SELECT app || '|' || version FROM oc_migrations; SELECT uid FROM oc_users;"));
      assertEquals(
          "oc_migrations\noc_users\n",
          sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1;"));
      assertFalse(Files.exists(db.resolveSibling(".db")));
    }
  }

  @Test
  void sqliteRowsOnlyInTheWalAreBackedUpAndRestored() throws Exception {
    // given an SQLite database in WAL mode whose last writes were never checkpointed: a process
    // committed a row and was killed, so the row is in nextcloud.db-wal and not in nextcloud.db
    Assumptions.assumeTrue(SandboxFleet.sqlite3Available(), "needs sqlite3");
    SandboxFleet fleet = fleet();
    Path db = fleet.nextcloudRoot("qa-1").resolve("data/nextcloud.db");
    Process writer = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
    String rows;
    try (OutputStream in = writer.getOutputStream();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      in.write(
          ("PRAGMA wal_autocheckpoint=0;\n"
                  + "INSERT INTO oc_users VALUES ('only-in-the-wal');\n"
                  + ".print BEGIN\n"
                  + "SELECT app || '|' || version FROM oc_migrations; SELECT uid FROM oc_users;\n"
                  + ".print END\n")
              .getBytes(StandardCharsets.UTF_8));
      in.flush();
      StringBuilder seen = new StringBuilder();
      for (String line = out.readLine(); line != null && !line.equals("BEGIN"); ) {
        line = out.readLine();
      }
      for (String line = out.readLine();
          line != null && !line.equals("END");
          line = out.readLine()) {
        seen.append(line).append('\n');
      }
      rows = seen.toString();
      writer.destroyForcibly().waitFor();
    }
    assertTrue(rows.contains("only-in-the-wal"), rows);
    assertTrue(Files.size(db.resolveSibling("nextcloud.db-wal")) > 0, "the row is in the -wal");
    Path fileOnly = dir.resolve("file-only.db");
    Files.copy(db, fileOnly);
    assertFalse(
        sqlite(fileOnly, "SELECT uid FROM oc_users;").contains("only-in-the-wal"),
        "the trap: the .db file alone lacks the row");
    fleet.inject("upgrade-fails", "qa-1");
    try (SandboxFleet.Servers servers = fleet.start()) {
      // when the update backs it up, its upgrade writes a migration and fails, and it is restored
      Cli.Result r = runQa(fleet);

      // then the database holds the rows of before, the one from the -wal included
      assertEquals(3, r.exitCode(), r.out() + r.err());
      assertTrue(r.out().contains("occ upgrade failed (exit 5"), r.out());
      assertEquals(
          rows,
          sqlite(db, "SELECT app || '|' || version FROM oc_migrations; SELECT uid FROM oc_users;"));
      assertEquals(
          "oc_migrations\noc_users\n",
          sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1;"));
      assertTrue(log(r, "backup-db").contains("sqlite3 .backup"), log(r, "backup-db"));
    }
  }

  private static String sqlite(Path db, String sql) throws IOException {
    Process p =
        new ProcessBuilder(new ArrayList<>(List.of("sqlite3", db.toString(), sql)))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertEquals(0, p.waitFor(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  private String log(Cli.Result r, String step) throws IOException {
    return Files.readString(
        dir.resolve("state/runs").resolve(r.runId()).resolve("logs/qa-1").resolve(step + ".1.log"));
  }
}
