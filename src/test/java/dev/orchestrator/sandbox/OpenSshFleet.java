package dev.orchestrator.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts served by real OpenSSH ({@code /usr/sbin/sshd}, Debian's {@code openssh-server}): one
 * {@code sshd} process per host on 127.0.0.1, each with its own host key and its own home folder
 * ({@code SetEnv HOME=...} in its {@code sshd_config}, so that {@code ~}, the orchestrator's lease
 * files and Ansible's {@code ~/.ansible/tmp} are per host), logging in the user the tests run as
 * with a client key made here. Unlike {@link TestFleet} (Apache MINA SSHD in the test's process),
 * these are the server real fleets run, and {@code ansible-playbook} connects to them with
 * OpenSSH's own client, so that one fleet serves both tools. The hosts share the machine's file
 * system: a test's playbooks write under each host's {@link #home}.
 *
 * <p>The inventory uses Ansible's connection variables ({@code ansible_host}, {@code ansible_port},
 * {@code ansible_user}, {@code ansible_ssh_private_key_file}, and {@code ansible_ssh_common_args}
 * naming the fleet's known_hosts file), so both tools read it unchanged.
 */
public final class OpenSshFleet implements AutoCloseable {
  /** Where Debian's package installs the server. */
  public static final Path SSHD = Path.of("/usr/sbin/sshd");

  private final Path dir;
  private final Map<String, List<String>> groups;
  private final Launcher launcher;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Process> servers = new LinkedHashMap<>();

  private OpenSshFleet(Path dir, Map<String, List<String>> groups, Launcher launcher) {
    this.dir = dir;
    this.groups = groups;
    this.launcher = launcher;
  }

  /**
   * How a host's {@code sshd} is started: as it is (the hosts share the machine's file system, each
   * with its own {@code $HOME}), or wrapped, e.g. in its own mount namespace ({@link RootedFleet}).
   */
  public interface Launcher {
    /** The hosts as folders of one machine: {@code sshd} as it is, {@code $HOME} per host. */
    Launcher SHARED =
        new Launcher() {
          @Override
          public List<String> command(String host, List<String> sshd) {
            return sshd;
          }

          @Override
          public boolean ownHome() {
            return true;
          }
        };

    /**
     * Returns the command that runs the host's {@code sshd} (given as {@code sshd}, which stays in
     * the foreground): it must end by executing it, so that the started process is the server.
     */
    List<String> command(String host, List<String> sshd) throws IOException;

    /** Whether each host gets its own {@code $HOME} under the fleet's folder ({@link #home}). */
    boolean ownHome();
  }

  /**
   * Returns whether real OpenSSH servers can be started here ({@code sshd} and {@code ssh-keygen}).
   */
  public static boolean available() {
    return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
  }

  /**
   * Skips the calling test when OpenSSH's server is not installed, and fails it in CI ({@code
   * CI=true}), where {@code .ci/run} installs it: CI never passes without the real server.
   */
  public static void requireAvailable() {
    if (available()) {
      return;
    }
    String message = "OpenSSH's server is not installed: apt-get install openssh-server";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      org.junit.jupiter.api.Assertions.fail("in CI the OpenSSH tests must run: " + message);
    }
    org.junit.jupiter.api.Assumptions.abort("skipped: " + message);
  }

  /**
   * Starts one {@code sshd} per host and waits until each accepts connections.
   *
   * @param dir a temp folder for keys, configurations, logs and the hosts' homes
   * @param groups group name → its hosts, in inventory order (a host may be in several groups)
   * @throws IOException if a server does not start within 20 seconds (its log is in the message)
   */
  public static OpenSshFleet start(Path dir, Map<String, List<String>> groups)
      throws IOException, InterruptedException {
    return start(dir, groups, Launcher.SHARED);
  }

  /**
   * Starts one {@code sshd} per host as the launcher says and waits until each accepts connections.
   *
   * @param dir a temp folder for keys, configurations, logs and the hosts' homes
   * @param groups group name → its hosts, in inventory order (a host may be in several groups)
   * @param launcher how each host's server is started
   * @throws IOException if a server does not start within 20 seconds (its log is in the message)
   */
  public static OpenSshFleet start(Path dir, Map<String, List<String>> groups, Launcher launcher)
      throws IOException, InterruptedException {
    OpenSshFleet fleet = new OpenSshFleet(dir, new LinkedHashMap<>(groups), launcher);
    keygen(dir.resolve("client_key"));
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    StringBuilder knownHosts = new StringBuilder();
    for (String host : fleet.hosts()) {
      Path keys = Files.createDirectories(dir.resolve("sshd").resolve(host));
      keygen(keys.resolve("host_key"));
      if (launcher.ownHome()) {
        Files.createDirectories(fleet.home(host));
      }
      fleet.startServer(host, keys, 0);
      String pub = Files.readString(keys.resolve("host_key.pub"), StandardCharsets.UTF_8).strip();
      String[] parts = pub.split(" ");
      knownHosts
          .append("[127.0.0.1]:")
          .append(fleet.port(host))
          .append(' ')
          .append(parts[0])
          .append(' ')
          .append(parts[1])
          .append('\n');
    }
    Files.writeString(fleet.knownHosts(), knownHosts.toString());
    fleet.writeInventory();
    return fleet;
  }

  /**
   * Starts a host's server on {@code fixedPort}, or on a free port when it is 0 (trying 5 ports).
   */
  private void startServer(String host, Path keys, int fixedPort)
      throws IOException, InterruptedException {
    IOException last = null;
    for (int tries = 0; tries < 5; tries++) {
      int port = fixedPort != 0 ? fixedPort : freePort();
      Path config = keys.resolve("sshd_config");
      Files.writeString(
          config,
          String.join(
              "\n",
              "Port " + port,
              "ListenAddress 127.0.0.1",
              "HostKey " + keys.resolve("host_key"),
              "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
              "PidFile " + keys.resolve("sshd.pid"),
              "StrictModes no",
              "UsePAM no",
              "PasswordAuthentication no",
              "KbdInteractiveAuthentication no",
              "MaxSessions 100",
              "MaxStartups 100:30:200",
              "Subsystem sftp internal-sftp",
              launcher.ownHome() ? "SetEnv HOME=" + home(host) : "",
              ""));
      Process p =
          new ProcessBuilder(
                  launcher.command(
                      host, List.of(SSHD.toString(), "-D", "-e", "-f", config.toString())))
              .redirectErrorStream(true)
              .redirectOutput(keys.resolve("sshd.log").toFile())
              .start();
      if (accepts(port, p)) {
        ports.put(host, port);
        servers.put(host, p);
        return;
      }
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      last =
          new IOException(
              "sshd for "
                  + host
                  + " did not start on port "
                  + port
                  + ": "
                  + Files.readString(keys.resolve("sshd.log")));
    }
    throw last;
  }

  /** Waits until the server accepts a TCP connection (it has bound its port) or exits. */
  private static boolean accepts(int port, Process p) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
        return true;
      } catch (IOException notYet) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void keygen(Path key) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("ssh-keygen failed: " + out);
    }
  }

  /** Returns every host once, in inventory order. */
  public List<String> hosts() {
    LinkedHashSet<String> all = new LinkedHashSet<>();
    groups.values().forEach(all::addAll);
    return new ArrayList<>(all);
  }

  /** Returns a host's home folder (its {@code $HOME}). */
  public Path home(String host) {
    return dir.resolve("hosts").resolve(host);
  }

  /** Returns a host's port on 127.0.0.1. */
  public int port(String host) {
    return ports.get(host);
  }

  /** Returns the inventory file (INI, Ansible's connection variables). */
  public Path inventory() {
    return dir.resolve("hosts.ini");
  }

  /** Returns the known_hosts file with every host's key. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** Returns the client's private key file. */
  public Path clientKey() {
    return dir.resolve("client_key");
  }

  private void writeInventory() throws IOException {
    StringBuilder ini = new StringBuilder();
    for (String host : hosts()) {
      ini.append(host).append(" ansible_port=").append(port(host));
      if (launcher.ownHome()) {
        ini.append(" host_root=").append(home(host));
      }
      ini.append('\n');
    }
    groups.forEach(
        (group, members) -> {
          ini.append("\n[").append(group).append("]\n");
          members.forEach(h -> ini.append(h).append('\n'));
        });
    ini.append("\n[all:vars]\n")
        .append("ansible_host=127.0.0.1\n")
        .append("ansible_user=")
        .append(System.getProperty("user.name"))
        .append('\n')
        .append("ansible_ssh_private_key_file=")
        .append(clientKey())
        .append('\n')
        .append("ansible_ssh_common_args='-o UserKnownHostsFile=")
        .append(knownHosts())
        .append(" -o StrictHostKeyChecking=yes'\n");
    Files.writeString(inventory(), ini.toString());
  }

  /** Returns the process id of a host's running server. */
  public long pid(String host) {
    return servers.get(host).pid();
  }

  /**
   * Stops a host's server (TERM, then KILL after 10 seconds); {@link #start(String)} restarts it.
   */
  public void stop(String host) throws InterruptedException {
    Process p = servers.remove(host);
    if (p != null) {
      stopProcess(p);
    }
  }

  /** Starts a stopped host's server again, on its old port with its old host key. */
  public void start(String host) throws IOException, InterruptedException {
    startServer(host, dir.resolve("sshd").resolve(host), port(host));
  }

  private static void stopProcess(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Stops every server (TERM, then KILL after 10 seconds). */
  @Override
  public void close() throws InterruptedException {
    for (Process p : servers.values()) {
      p.destroy();
    }
    for (Process p : servers.values()) {
      stopProcess(p);
    }
    servers.clear();
  }
}
