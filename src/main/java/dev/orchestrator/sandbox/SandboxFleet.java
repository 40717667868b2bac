package dev.orchestrator.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * A fleet of simulated Nextcloud instances on this machine, each a folder with {@code version.php},
 * {@code config/config.php}, a data folder and an {@code occ} script that answers like the real
 * one, served over real SSH by a {@link HostServer} on loopback. Also writes the matching
 * inventory, known_hosts, client key and the release archive of the target version.
 *
 * <p>Layout under its folder: {@code sandbox.json}, {@code inventory.yml}, {@code known_hosts},
 * {@code client_key}(+{@code .pub}), {@code releases/nextcloud-VERSION.tar.bz2}, and {@code
 * hosts/NAME/} (the host's home: {@code nextcloud/}, {@code backups/}, {@code host_key}).
 *
 * <p>Why one class of over 400 lines: it writes one simulated Nextcloud release tree (version.php,
 * occ, config.php, the updater stand-in), whose files must agree with one another; the layout
 * mirrors a real release (README, "The sandbox") and reads best as one listing.
 */
public final class SandboxFleet {
  /** The file whose presence makes the simulated {@code occ upgrade} fail (exit 5). */
  public static final String FAIL_MARKER = ".sandbox-fail-upgrade";

  /**
   * The modification time of every code file, in the instances and in the release archives alike,
   * as reproducible builds ({@code SOURCE_DATE_EPOCH}) and container images make them. With the
   * sandbox's versions of equal length, a release's files then have the size and the mtime of the
   * files they replace: a restore that trusts size and time (rsync's quick check) keeps the new
   * {@code version.php}, on every run rather than only when two writes share a second.
   */
  public static final java.time.Instant CODE_MTIME =
      java.time.Instant.parse("2024-01-01T00:00:00Z");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One simulated host.
   *
   * @param name inventory name
   * @param group {@code qa} or {@code production}
   * @param port its SSH port on 127.0.0.1 (0 until first started)
   */
  public record SandboxHost(String name, String group, int port) {}

  /**
   * What {@code sandbox.json} holds.
   *
   * @param fromVersion the version the instances start at
   * @param toVersion the release version
   * @param hosts the hosts
   */
  public record Layout(String fromVersion, String toVersion, List<SandboxHost> hosts) {}

  private final Path dir;
  private Layout layout;

  private SandboxFleet(Path dir, Layout layout) {
    this.dir = dir.toAbsolutePath().normalize();
    this.layout = layout;
  }

  /**
   * Creates a fresh fleet, replacing any earlier one in {@code dir}.
   *
   * @param dir the sandbox folder
   * @param qa how many QA instances
   * @param production how many production instances
   * @param fromVersion the version installed, e.g. {@code 27.1.11}
   * @param toVersion the release to update to, e.g. {@code 28.0.14}
   * @throws IOException on file errors
   */
  public static SandboxFleet create(
      Path dir, int qa, int production, String fromVersion, String toVersion) throws IOException {
    return create(dir, qa, production, fromVersion, toVersion, List.of());
  }

  /**
   * Creates a fresh fleet with releases for the hops of an upgrade path too.
   *
   * @param hops intermediate (and final) versions to build releases for, e.g. {@code 27.1.12}
   * @throws IOException on file errors
   */
  public static SandboxFleet create(
      Path dir, int qa, int production, String fromVersion, String toVersion, List<String> hops)
      throws IOException {
    deleteTree(dir.resolve("hosts"));
    Files.createDirectories(dir.resolve("releases"));
    List<SandboxHost> hosts = new ArrayList<>();
    for (int i = 1; i <= qa; i++) {
      hosts.add(new SandboxHost("qa-" + i, "qa", 0));
    }
    for (int i = 1; i <= production; i++) {
      hosts.add(new SandboxHost("prod-" + i, "production", 0));
    }
    SandboxFleet fleet = new SandboxFleet(dir, new Layout(fromVersion, toVersion, hosts));
    ClientKey.generate(dir.resolve("client_key"));
    for (SandboxHost h : hosts) {
      fleet.writeInstance(h);
    }
    java.util.Set<String> releases = new java.util.LinkedHashSet<>(hops);
    releases.add(toVersion);
    for (String version : releases) {
      fleet.writeRelease(version);
    }
    fleet.save();
    return fleet;
  }

  /**
   * Loads the fleet an earlier {@link #create} left in {@code dir}.
   *
   * @throws IOException if there is none
   */
  public static SandboxFleet load(Path dir) throws IOException {
    Path file = dir.resolve("sandbox.json");
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "there is no sandbox fleet in " + dir.toAbsolutePath() + " (no sandbox.json)");
    }
    return new SandboxFleet(dir, JSON.readValue(file.toFile(), Layout.class));
  }

  /** Returns the hosts. */
  public List<SandboxHost> hosts() {
    return layout.hosts();
  }

  /** Returns the release version the playbook updates to. */
  public String toVersion() {
    return layout.toVersion();
  }

  /** Returns the inventory file. */
  public Path inventory() {
    return dir.resolve("inventory.yml");
  }

  /** Returns the known_hosts file. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** Returns a host's Nextcloud folder. */
  public Path nextcloudRoot(String host) {
    return home(host).resolve("nextcloud");
  }

  /**
   * Makes {@code occ upgrade} fail on a host until {@link #failMarker} is removed.
   *
   * @throws IllegalArgumentException if there is no such host
   */
  public Path injectFailure(String host) throws IOException {
    requireHost(host);
    Path marker = failMarker(host);
    Files.writeString(marker, "injected by orchestrator sandbox --fail-host\n");
    return marker;
  }

  /** Checks that the fleet has this host; the error names the ones it has. */
  private void requireHost(String host) {
    if (hosts().stream().noneMatch(h -> h.name().equals(host))) {
      throw new IllegalArgumentException(
          "no sandbox host '"
              + host
              + "'; choose one of: "
              + String.join(", ", hosts().stream().map(SandboxHost::name).toList()));
    }
  }

  /**
   * Points a host's {@code config.php} at another database and creates the instance's tables and
   * rows in it: SQLite under another name (or none: Nextcloud's default {@code owncloud}), or a
   * MySQL/MariaDB or PostgreSQL database the caller runs.
   *
   * @param host the host
   * @param database the database; a server's database must exist and be the user's to write
   * @throws IllegalArgumentException if there is no such host
   * @throws IOException if the config cannot be written or the database not reached
   */
  public void useDatabase(String host, SandboxDatabase database) throws IOException {
    requireHost(host);
    Path config = nextcloudRoot(host).resolve("config/config.php");
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(config)) {
      if (!line.matches(" *'db(type|host|name|user|password)' => .*")) {
        lines.add(line);
      }
      if (line.startsWith("  'datadirectory' => ")) {
        database
            .configEntries()
            .forEach(
                (k, v) ->
                    lines.add(
                        "  '" + k + "' => '" + v.replace("\\", "\\\\").replace("'", "\\'") + "',"));
      }
    }
    Files.write(config, lines);
    Path data = nextcloudRoot(host).resolve("data");
    Files.deleteIfExists(data.resolve("nextcloud.db"));
    database.create(data, layout.fromVersion() + ".0");
  }

  /** Returns the failure marker's path for a host. */
  public Path failMarker(String host) {
    return nextcloudRoot(host).resolve("data").resolve(FAIL_MARKER);
  }

  /**
   * Starts one SSH server per host (on the ports used before, so known_hosts stays valid; any free
   * port the first time), then writes the inventory and known_hosts.
   *
   * @return the servers; close them to stop the fleet
   * @throws IOException if a server cannot start
   */
  public Servers start() throws IOException {
    PublicKey client = ClientKey.readPublic(dir.resolve("client_key"));
    List<HostServer> servers = new ArrayList<>();
    List<SandboxHost> bound = new ArrayList<>();
    try {
      for (SandboxHost h : hosts()) {
        HostServer s =
            HostServer.start(h.port(), home(h.name()), home(h.name()).resolve("host_key"), client);
        servers.add(s);
        bound.add(new SandboxHost(h.name(), h.group(), s.port()));
      }
    } catch (IOException e) {
      for (HostServer s : servers) {
        s.close();
      }
      throw e;
    }
    layout = new Layout(layout.fromVersion(), layout.toVersion(), bound);
    save();
    StringBuilder kh = new StringBuilder();
    servers.forEach(s -> kh.append(s.knownHostsLine()).append('\n'));
    Files.writeString(knownHosts(), kh.toString());
    com.sun.net.httpserver.HttpServer web = statusServer();
    writeInventory(web.getAddress().getPort());
    return new Servers(servers, web);
  }

  /** The running servers of a fleet. */
  public static final class Servers implements AutoCloseable {
    private final List<HostServer> servers;
    private final com.sun.net.httpserver.HttpServer web;

    Servers(List<HostServer> servers, com.sun.net.httpserver.HttpServer web) {
      this.servers = List.copyOf(servers);
      this.web = web;
    }

    /** Stops every server. */
    @Override
    public void close() throws IOException {
      web.stop(0);
      for (HostServer s : servers) {
        s.close();
      }
    }
  }

  private Path home(String host) {
    return dir.resolve("hosts").resolve(host);
  }

  private void save() throws IOException {
    JSON.writeValue(dir.resolve("sandbox.json").toFile(), layout);
  }

  private void writeInstance(SandboxHost h) throws IOException {
    Path root = nextcloudRoot(h.name());
    Files.createDirectories(root.resolve("config"));
    Files.createDirectories(root.resolve("data"));
    Files.createDirectories(home(h.name()).resolve("backups"));
    for (Map.Entry<String, String> f : codeFiles(layout.fromVersion()).entrySet()) {
      Path p = root.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
      Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(CODE_MTIME));
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
            "  'version' => '" + layout.fromVersion() + ".0',",
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
    int fromMajor = Integer.parseInt(layout.fromVersion().split("\\.")[0]);
    int toMajor = Integer.parseInt(layout.toVersion().split("\\.")[0]);
    Files.writeString(
        root.resolve("config/sandbox-apps.txt"),
        "files "
            + layout.fromVersion()
            + " yes 99\ncalendar 4.5.0 yes "
            + fromMajor
            + "\nlegacyapp 1.0.0 yes "
            + fromMajor
            + "\n");
    Files.writeString(
        root.resolve("config/sandbox-app-updates.txt"), "calendar 4.6.0 " + toMajor + "\n");
    Path bin = home(h.name()).resolve("bin");
    Files.createDirectories(bin);
    Files.writeString(bin.resolve("php"), resource("/sandbox/php"));
    bin.resolve("php").toFile().setExecutable(true);
    Files.writeString(
        home(h.name()).resolve("php.ini"),
        "; simulated php.ini of " + h.name() + "\nmemory_limit = 512M\n");
  }

  private void writeRelease(String version) throws IOException {
    Path archive = dir.resolve("releases").resolve("nextcloud-" + version + ".tar.bz2");
    try (OutputStream file = Files.newOutputStream(archive);
        BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, String> f : codeFiles(version).entrySet()) {
        byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry("nextcloud/" + f.getKey());
        entry.setSize(content.length);
        entry.setModTime(java.nio.file.attribute.FileTime.from(CODE_MTIME));
        entry.setMode(f.getKey().equals("occ") ? 0100755 : 0100644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    Files.writeString(
        archive.resolveSibling(archive.getFileName() + ".sha256"),
        sha256(archive) + "  " + archive.getFileName() + "\n");
    // the zip beside it, as download.nextcloud.com publishes both: the updater takes only zip
    Path zip = dir.resolve("releases").resolve("nextcloud-" + version + ".zip");
    try (java.util.zip.ZipOutputStream out =
        new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, String> f : codeFiles(version).entrySet()) {
        java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("nextcloud/" + f.getKey());
        entry.setLastModifiedTime(java.nio.file.attribute.FileTime.from(CODE_MTIME));
        out.putNextEntry(entry);
        out.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    Files.writeString(
        zip.resolveSibling(zip.getFileName() + ".sha256"),
        sha256(zip) + "  " + zip.getFileName() + "\n");
  }

  /** The code files of a simulated release: what the updater and occ look at. */
  private static Map<String, String> codeFiles(String version) throws IOException {
    String[] v = (version + ".0.0").split("\\.");
    int major = Integer.parseInt(v[0]);
    StringBuilder from = new StringBuilder();
    for (int m = major - 1; m <= major; m++) {
      for (int minor = 0; minor <= 9; minor++) {
        from.append("'").append(m).append('.').append(minor).append("' => true, ");
      }
    }
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "version.php",
        String.join(
            "\n",
            "<?php",
            "$OC_Version = array(" + v[0] + "," + v[1] + "," + v[2] + ",0);",
            "$OC_VersionString = '" + version + "';",
            "$OC_Edition = '';",
            "$OC_Channel = 'stable';",
            "$OC_VersionCanBeUpgradedFrom = array ('nextcloud' => array ("
                + from
                + "), 'owncloud' => array ());",
            "$OC_Build = 'sandbox';",
            "$vendor = 'nextcloud';",
            ""));
    files.put("occ", resource("/sandbox/occ"));
    files.put(
        "index.php",
        "<?php\n// Nextcloud " + version + " (sandbox)\nrequire_once __DIR__ . '/lib/base.php';\n");
    files.put("status.php", "<?php\n// Nextcloud " + version + " status endpoint (sandbox)\n");
    files.put(
        "cron.php",
        "#!/bin/sh\n# Nextcloud "
            + version
            + " background jobs (sandbox)\necho \"ran background jobs\"\n");
    files.put("lib/base.php", "<?php\n// Nextcloud " + version + " core (sandbox)\n");
    // each major ships its own front-end bundle: an update adds one file and drops another
    files.put("dist/core-main-" + major + ".js", "// Nextcloud " + version + " front end\n");
    files.put("core/shipped.json", "{\"shippedApps\":[\"files\"],\"alwaysEnabled\":[\"files\"]}\n");
    files.put(
        "config/config.sample.php",
        "<?php\n// sample configuration of Nextcloud " + version + "\n");
    files.put(
        "apps/files/appinfo/info.xml",
        "<info><id>files</id><version>" + version + "</version></info>\n");
    // the rest of a real release's top level (nextcloud-28 and later archives), small
    files.put(".htaccess", "# Nextcloud " + version + " (sandbox)\n");
    files.put(".user.ini", "upload_max_filesize=511M\n");
    files.put("AUTHORS", "Nextcloud contributors\n");
    files.put("COPYING", "GNU AFFERO GENERAL PUBLIC LICENSE (sandbox)\n");
    files.put("LICENSES/AGPL-3.0-or-later.txt", "GNU AFFERO GENERAL PUBLIC LICENSE (sandbox)\n");
    files.put("REUSE.toml", "version = 1\n");
    files.put("robots.txt", "User-agent: *\nDisallow: /\n");
    files.put("console.php", "<?php\n// Nextcloud " + version + " console (sandbox)\n");
    files.put("public.php", "<?php\n// Nextcloud " + version + " public entry point (sandbox)\n");
    files.put("remote.php", "<?php\n// Nextcloud " + version + " remote entry point (sandbox)\n");
    files.put("ocs/v1.php", "<?php\n// Nextcloud " + version + " OCS v1 (sandbox)\n");
    files.put("ocs/v2.php", "<?php\n// Nextcloud " + version + " OCS v2 (sandbox)\n");
    files.put("3rdparty/autoload.php", "<?php\n// Nextcloud " + version + " libraries (sandbox)\n");
    files.put("resources/config/mimetypemapping.dist.json", "{}\n");
    // the built-in updater every release ships: a stand-in run by the sandbox's php (see the file)
    files.put("updater/updater.phar", resource("/sandbox/updater.phar"));
    return files;
  }

  /**
   * Creates the instance's database: a real SQLite database in WAL mode when the {@code sqlite3}
   * command is installed (as Nextcloud's {@code dbtype: sqlite3}), else a file of one row per line.
   */
  private void writeDatabase(Path db) throws IOException {
    String rows = "oc_migrations|core|" + layout.fromVersion() + ".0\noc_users|admin\n";
    if (sqlite3Available()) {
      Process p =
          new ProcessBuilder(
                  "sqlite3",
                  db.toString(),
                  "PRAGMA journal_mode=WAL; " + SandboxDatabase.schema(layout.fromVersion() + ".0"))
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
  public static boolean sqlite3Available() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "sqlite3"))) {
        return true;
      }
    }
    return false;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SandboxFleet.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("the sandbox file " + name + " is missing from the installation");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Injects a failure the field knows into a host.
   *
   * @param kind {@code upgrade-fails} (occ upgrade exits 5, maintenance stays on), {@code
   *     low-memory} (memory_limit 128M), {@code stale-step} (a {@code .step} left by a killed
   *     updater, with its downloaded archive), {@code oom-step} (the same left by PHP running out
   *     of memory, named in PHP's error log), {@code stray-file} (an unknown file in the web root)
   * @param host the host
   * @return the file that makes the failure; fixing it is the operator's job
   * @throws IllegalArgumentException for an unknown host or kind
   */
  public Path inject(String kind, String host) throws IOException {
    requireHost(host);
    Path root = nextcloudRoot(host);
    switch (kind) {
      case "upgrade-fails" -> {
        return injectFailure(host);
      }
      case "low-memory" -> {
        Path ini = home(host).resolve("php.ini");
        Files.writeString(ini, "; simulated php.ini of " + host + "\nmemory_limit = 128M\n");
        return ini;
      }
      case "stale-step" -> {
        String id = "oc" + Integer.toHexString(host.hashCode() & 0xfffffff);
        Path updater = root.resolve("data").resolve("updater-" + id);
        Files.createDirectories(updater.resolve("downloads"));
        Files.writeString(
            updater.resolve("downloads/nextcloud-" + layout.toVersion() + ".zip"),
            "a complete archive from the killed run\n");
        Path step = updater.resolve(".step");
        Files.writeString(step, "{\"state\":\"start\",\"step\":5}");
        step.toFile().setLastModified(System.currentTimeMillis() - 3 * 3600_000L);
        return step;
      }
      case "oom-step" -> {
        // what the stable33 updater leaves when PHP runs out of memory at "Verify integrity"
        // (it loads the whole archive, Updater.php verifyIntegrity()): state start 5, the fatal
        // error in PHP's error log (here the error_log of the host's php.ini)
        Path step = inject("stale-step", host);
        Path errors = home(host).resolve("php-errors.log");
        Files.writeString(
            errors,
            "PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate"
                + " 155248904 bytes) in phar://"
                + root.resolve("updater/updater.phar")
                + "/lib/Updater.php on line 874\n");
        Files.writeString(
            home(host).resolve("php.ini"),
            "; simulated php.ini of "
                + host
                + "\nmemory_limit = 512M\nerror_log = "
                + errors
                + "\n");
        return step;
      }
      case "stray-file" -> {
        Path stray = root.resolve("nextcloud-backup-old.tar.gz");
        Files.writeString(stray, "an old backup someone left in the web root\n");
        return stray;
      }
      default ->
          throw new IllegalArgumentException(
              "unknown failure '"
                  + kind
                  + "'; use upgrade-fails, low-memory, stale-step, oom-step or stray-file");
    }
  }

  /**
   * Serves each instance's {@code GET /HOST/status.php} on loopback, answering what {@code occ
   * status --output=json} answers, as Nextcloud's status.php does.
   */
  private com.sun.net.httpserver.HttpServer statusServer() throws IOException {
    com.sun.net.httpserver.HttpServer web =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext(
        "/",
        exchange -> {
          String[] parts = exchange.getRequestURI().getPath().split("/");
          int status = 404;
          byte[] body = "Not Found\n".getBytes(StandardCharsets.UTF_8);
          if (parts.length == 3
              && parts[1].equals("releases")
              && Files.isRegularFile(dir.resolve("releases").resolve(parts[2]))) {
            status = 200;
            body = Files.readAllBytes(dir.resolve("releases").resolve(parts[2]));
            // "Range: bytes=N-" as a web server answers it: 206 with the rest, 416 when N is the
            // whole file (the updater's resumed download of a complete archive, Updater.php
            // downloadArchive())
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null && range.matches("bytes=\\d{1,18}-")) {
              long from = Long.parseLong(range.substring(6, range.length() - 1));
              if (from >= body.length) {
                status = 416;
                body = new byte[0];
              } else {
                status = 206;
                body = java.util.Arrays.copyOfRange(body, (int) from, body.length);
              }
            }
          } else if (parts.length == 3
              && parts[2].equals("status.php")
              && hosts().stream().anyMatch(h -> h.name().equals(parts[1]))) {
            ProcessBuilder pb =
                new ProcessBuilder(
                    "/bin/sh",
                    home(parts[1]).resolve("bin/php").toString(),
                    nextcloudRoot(parts[1]).resolve("occ").toString(),
                    "status",
                    "--output=json");
            pb.environment().put("HOME", home(parts[1]).toString());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            body = p.getInputStream().readAllBytes();
            try {
              status = p.waitFor() == 0 ? 200 : 500;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              status = 500;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
          }
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    web.start();
    return web;
  }

  private void writeInventory(int statusPort) throws IOException {
    StringBuilder y = new StringBuilder();
    y.append(
        "# Written by `orchestrator sandbox`: simulated Nextcloud instances served over SSH on loopback.\n");
    y.append(
        "# The same playbook runs against real hosts with e.g. inventory/example-production.yml.\n");
    y.append("all:\n  vars:\n");
    y.append("    ansible_host: 127.0.0.1\n");
    y.append("    user: ops\n");
    y.append("    private_key_file: ")
        .append(yamlString(dir.resolve("client_key").toString()))
        .append('\n');
    y.append("    as_web_user: ''\n");
    y.append("    occ: \"{{ php }} {{ nextcloud_root }}/occ\"\n");
    y.append("    web_user: ").append(yamlString(System.getProperty("user.name"))).append('\n');
    y.append("    target_version: ").append(yamlString(layout.toVersion())).append('\n');
    // as download.nextcloud.com: the archive and its .sha256 beside it
    y.append("    release_url: ")
        .append(
            yamlString(
                "http://127.0.0.1:"
                    + statusPort
                    + "/releases/nextcloud-{{ target_version }}.tar.bz2"))
        .append('\n');
    // the updater's own download of the same release (it takes zip only): code_swap auto then
    // drives updater/updater.phar --url; -e code_swap=manual takes the manual route
    y.append("    updater_url: ")
        .append(
            yamlString(
                "http://127.0.0.1:" + statusPort + "/releases/nextcloud-{{ target_version }}.zip"))
        .append('\n');
    y.append("  children:\n");
    for (String group : List.of("qa", "production")) {
      y.append("    ").append(group).append(":\n      hosts:\n");
      for (SandboxHost h : hosts()) {
        if (h.group().equals(group)) {
          y.append("        ").append(h.name()).append(":\n");
          y.append("          port: ").append(h.port()).append('\n');
          y.append("          nextcloud_root: ")
              .append(yamlString(nextcloudRoot(h.name()).toString()))
              .append('\n');
          y.append("          status_url: ")
              .append(yamlString("http://127.0.0.1:" + statusPort + "/" + h.name() + "/status.php"))
              .append('\n');
          y.append("          release_archive: ")
              .append(
                  yamlString(
                      home(h.name())
                          .resolve("tmp")
                          .resolve("nextcloud-{{ target_version }}.tar.bz2")
                          .toString()))
              .append('\n');
          y.append("          php: ")
              .append(yamlString(home(h.name()).resolve("bin/php").toString()))
              .append('\n');
          y.append("          backup_root: ")
              .append(yamlString(home(h.name()).resolve("backups").toString()))
              .append('\n');
        }
      }
    }
    Files.writeString(inventory(), y.toString());
  }

  private static String sha256(Path file) throws IOException {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  private static String yamlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
