package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.sandbox.SandboxFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Nextcloud playbook ITs share: a one-host sandbox fleet under a temporary folder, the
 * orchestrator run against it with its own state folder, and readers of what the run left behind.
 * The tests are split by concern ({@link NextcloudUpdateIT}, {@link NextcloudPreflightIT}, {@link
 * NextcloudRecoveryIT}) so that failsafe's forks share them.
 */
abstract class NextcloudPipelineHarness {
  static final String PLAYBOOK = Path.of("playbooks/nextcloud-update.yml").toString();

  @TempDir Path dir;

  SandboxFleet fleet(String from) throws IOException {
    return SandboxFleet.create(dir.resolve("sb"), 1, 1, from, "28.0.14");
  }

  Cli.Result orchestrator(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  Cli.Result runQa(SandboxFleet fleet, String... extra) {
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

  static String config(SandboxFleet fleet) throws IOException {
    return Files.readString(fleet.nextcloudRoot("qa-1").resolve("config/config.php"));
  }

  /**
   * Runs the instance's updater.phar stand-in as an admin would: cd updater && php updater.phar.
   */
  static String updaterPhar(SandboxFleet fleet, String... args) throws Exception {
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
  static String updaterUrl(SandboxFleet fleet) throws IOException {
    String line =
        Files.readAllLines(fleet.inventory()).stream()
            .filter(l -> l.trim().startsWith("updater_url:"))
            .findFirst()
            .orElseThrow();
    return line.substring(line.indexOf('\'') + 1, line.lastIndexOf('\''))
        .replace("{{ target_version }}", fleet.toVersion());
  }

  static Path onlyUpdaterDir(Path root) throws IOException {
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
  static String rows(Path db) throws IOException {
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
  static Map<String, String> codeTree(Path root) throws IOException {
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

  static Map<String, String> withoutConfigPhp(Map<String, String> tree) {
    Map<String, String> rest = new TreeMap<>(tree);
    rest.remove("config/config.php");
    return rest;
  }

  /** The one backup folder of qa-1. */
  static Path backup(SandboxFleet fleet) throws IOException {
    try (Stream<Path> backups = Files.list(fleet.nextcloudRoot("qa-1").resolveSibling("backups"))) {
      List<Path> all = backups.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  static boolean onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, command))) {
        return true;
      }
    }
    return false;
  }

  /** The log of a step on qa-1 in the run of {@code r}. */
  String log(Cli.Result r, String step) throws IOException {
    return Files.readString(
        dir.resolve("state/runs").resolve(r.runId()).resolve("logs/qa-1").resolve(step + ".1.log"));
  }
}
