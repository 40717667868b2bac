package dev.orchestrator.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

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
 * <p>Its parts: {@link SandboxInstance} writes an instance, {@link SandboxRelease} a release's
 * files and archives (the layout mirrors a real release: README, "The sandbox"), {@link
 * SandboxFailures} injects the failures the field knows, {@link SandboxWebServer} serves the
 * releases and each instance's status, {@link SandboxInventory} writes the inventory.
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
      new SandboxInstance(fleet).write(h);
    }
    java.util.Set<String> releases = new java.util.LinkedHashSet<>(hops);
    releases.add(toVersion);
    for (String version : releases) {
      SandboxRelease.write(dir.resolve("releases"), version);
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
    return new SandboxFailures(this).inject(kind, host);
  }

  /** Returns whether the {@code sqlite3} command is on the PATH. */
  public static boolean sqlite3Available() {
    return SandboxInstance.sqlite3Available();
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
    com.sun.net.httpserver.HttpServer web = SandboxWebServer.start(this);
    new SandboxInventory(this).write(web.getAddress().getPort());
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

  /** Returns a host's home folder. */
  Path home(String host) {
    return dir.resolve("hosts").resolve(host);
  }

  /** Returns the fleet's folder. */
  Path dir() {
    return dir;
  }

  /** Returns what {@code sandbox.json} holds. */
  Layout layout() {
    return layout;
  }

  private void save() throws IOException {
    JSON.writeValue(dir.resolve("sandbox.json").toFile(), layout);
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
