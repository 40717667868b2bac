package dev.orchestrator.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes one simulated Nextcloud instance: the code of the fleet's starting version, config.php,
 * data folder and database, third-party apps and the host's php stand-in.
 */
final class SandboxInstance {
  private final SandboxFleet fleet;

  SandboxInstance(SandboxFleet fleet) {
    this.fleet = fleet;
  }

  /** Writes a host's instance at the fleet's starting version, with its database and php. */
  void write(SandboxFleet.SandboxHost h) throws IOException {
    Path root = fleet.nextcloudRoot(h.name());
    Files.createDirectories(root.resolve("config"));
    Files.createDirectories(root.resolve("data"));
    Files.createDirectories(fleet.home(h.name()).resolve("backups"));
    for (Map.Entry<String, String> f :
        SandboxRelease.codeFiles(fleet.layout().fromVersion()).entrySet()) {
      Path p = root.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
      Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(SandboxFleet.CODE_MTIME));
    }
    root.resolve("occ").toFile().setExecutable(true);
    String instanceId = "oc" + Integer.toHexString(h.name().hashCode() & 0xfffffff);
    Files.writeString(
        root.resolve("config/config.php"),
        String.join(
            "\n",
            "<?php",
            "$CONFIG = array (",
            "  'instanceid' => '" + instanceId + "',",
            "  'datadirectory' => '" + root.resolve("data") + "',",
            "  'dbtype' => 'sqlite3',",
            "  'dbname' => 'nextcloud',",
            "  'version' => '" + fleet.layout().fromVersion() + ".0',",
            "  'overwrite.cli.url' => 'http://" + h.name() + ".sandbox.invalid',",
            "  'installed' => true,",
            "  'maintenance' => false,",
            // as the admin manual's apps_paths example: shipped apps read-only, the admin's apps in
            // custom_apps/ (the updater keeps every apps_paths folder inside the install)
            "  'apps_paths' => ",
            "  array (",
            "    0 => ",
            "    array (",
            "      'path' => '" + root.resolve("apps") + "',",
            "      'url' => '/apps',",
            "      'writable' => false,",
            "    ),",
            "    1 => ",
            "    array (",
            "      'path' => '" + root.resolve("custom_apps") + "',",
            "      'url' => '/custom_apps',",
            "      'writable' => true,",
            "    ),",
            "  ),",
            ");",
            ""));
    // What an instance has beside the release's files: the web server's .well-known (ACME
    // challenges, webfinger) and the admin's apps in custom_apps/.
    Files.createDirectories(root.resolve(".well-known/acme-challenge"));
    Files.writeString(
        root.resolve(".well-known/acme-challenge/sandbox-token"),
        "ACME challenge of " + h.name() + "\n");
    Files.createDirectories(root.resolve("custom_apps/mycustomapp/appinfo"));
    Files.writeString(
        root.resolve("custom_apps/mycustomapp/appinfo/info.xml"),
        "<info><id>mycustomapp</id><version>1.2.3</version></info>\n");
    Path data = root.resolve("data");
    writeDatabase(data.resolve("nextcloud.db"));
    Files.createDirectories(data.resolve("admin/files"));
    Files.writeString(
        data.resolve("admin/files/welcome.txt"), "Welcome to Nextcloud, " + h.name() + "\n");
    // Third-party apps (not shipped): one the app store updates for the next major, one it cannot.
    for (String app : List.of("calendar", "legacyapp")) {
      Files.createDirectories(root.resolve("apps").resolve(app).resolve("appinfo"));
      Files.writeString(
          root.resolve("apps").resolve(app).resolve("appinfo/info.xml"),
          "<info><id>" + app + "</id></info>\n");
    }
    int fromMajor = Integer.parseInt(fleet.layout().fromVersion().split("\\.")[0]);
    int toMajor = Integer.parseInt(fleet.layout().toVersion().split("\\.")[0]);
    Files.writeString(
        root.resolve("config/sandbox-apps.txt"),
        "files "
            + fleet.layout().fromVersion()
            + " yes 99\ncalendar 4.5.0 yes "
            + fromMajor
            + "\nlegacyapp 1.0.0 yes "
            + fromMajor
            + "\n");
    Files.writeString(
        root.resolve("config/sandbox-app-updates.txt"), "calendar 4.6.0 " + toMajor + "\n");
    Path bin = fleet.home(h.name()).resolve("bin");
    Files.createDirectories(bin);
    Files.writeString(bin.resolve("php"), SandboxRelease.resource("/sandbox/php"));
    bin.resolve("php").toFile().setExecutable(true);
    Files.writeString(
        fleet.home(h.name()).resolve("php.ini"),
        "; simulated php.ini of " + h.name() + "\nmemory_limit = 512M\n");
  }

  /**
   * Creates the instance's database: a real SQLite database in WAL mode when the {@code sqlite3}
   * command is installed (as Nextcloud's {@code dbtype: sqlite3}), else a file of one row per line.
   */
  private void writeDatabase(Path db) throws IOException {
    String rows = "oc_migrations|core|" + fleet.layout().fromVersion() + ".0\noc_users|admin\n";
    if (sqlite3Available()) {
      Process p =
          new ProcessBuilder(
                  "sqlite3",
                  db.toString(),
                  "PRAGMA journal_mode=WAL; "
                      + SandboxDatabase.schema(fleet.layout().fromVersion() + ".0"))
              .redirectErrorStream(true)
              .start();
      try {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          throw new IOException("sqlite3 could not create " + db + ": " + out);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while creating " + db, e);
      }
      return;
    }
    Files.writeString(db, rows);
  }

  /** Returns whether the {@code sqlite3} command is on the PATH. */
  static boolean sqlite3Available() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "sqlite3"))) {
        return true;
      }
    }
    return false;
  }
}
