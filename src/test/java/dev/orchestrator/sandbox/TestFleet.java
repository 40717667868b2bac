package dev.orchestrator.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test hosts: one in-process MINA SSHD server per host on 127.0.0.1, each running real {@code
 * /bin/sh} commands in its own temp folder, plus the matching client key, known_hosts and a YAML
 * inventory (groups as given).
 */
public final class TestFleet implements AutoCloseable {
  private final Path dir;
  private final Map<String, HostServer> servers = new LinkedHashMap<>();
  private final Map<String, String> groups;
  private final PublicKey clientKey;
  private final Map<String, java.net.Socket> downPorts = new java.util.HashMap<>();

  private TestFleet(Path dir, Map<String, String> groups, PublicKey clientKey) {
    this.dir = dir;
    this.groups = groups;
    this.clientKey = clientKey;
  }

  /**
   * Starts the hosts.
   *
   * @param dir a temp folder
   * @param groups host name → group name, in inventory order
   */
  public static TestFleet start(Path dir, Map<String, String> groups) throws IOException {
    PublicKey key = ClientKey.generate(dir.resolve("client_key"));
    TestFleet fleet = new TestFleet(dir, new LinkedHashMap<>(groups), key);
    for (String host : groups.keySet()) {
      Files.createDirectories(fleet.home(host));
      fleet.servers.put(
          host, HostServer.start(0, fleet.home(host), dir.resolve("keys").resolve(host), key));
    }
    fleet.writeKnownHosts();
    fleet.writeInventory("");
    return fleet;
  }

  /** Returns a host's home folder, where its commands run. */
  public Path home(String host) {
    return dir.resolve("hosts").resolve(host);
  }

  /** Returns the inventory file. */
  public Path inventory() {
    return dir.resolve("inventory.yml");
  }

  /** Returns the known_hosts file. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** Returns the client key file. */
  public Path clientKey() {
    return dir.resolve("client_key");
  }

  /** Returns a host's port. */
  public int port(String host) {
    return servers.get(host).port();
  }

  /**
   * Stops one host's server (the host goes down: connecting is refused). Its port stays reserved by
   * a bound socket that does not listen, so that no other process on the machine (another test
   * binding port 0, an outgoing connection) takes it before {@link #restart}.
   */
  public void stop(String host) throws IOException {
    int port = port(host);
    servers.get(host).close();
    java.net.Socket hold = new java.net.Socket();
    hold.setReuseAddress(true); // the closed server's connections may linger in TIME_WAIT
    hold.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    downPorts.put(host, hold);
  }

  /** Restarts a stopped host on its old port with its old host key. */
  public void restart(String host) throws IOException {
    int port = port(host);
    java.net.Socket hold = downPorts.remove(host);
    if (hold != null) {
      hold.close();
    }
    servers.put(
        host, HostServer.start(port, home(host), dir.resolve("keys").resolve(host), clientKey));
  }

  /** Rewrites the inventory, adding {@code allVars} (YAML lines, indented 4) under all.vars. */
  public void writeInventory(String allVars) throws IOException {
    StringBuilder y =
        new StringBuilder("all:\n  vars:\n    ansible_host: 127.0.0.1\n    user: tester\n");
    y.append("    private_key_file: ").append(clientKey()).append('\n').append(allVars);
    y.append("  children:\n");
    List<String> groupNames = new ArrayList<>(new java.util.LinkedHashSet<>(groups.values()));
    for (String g : groupNames) {
      y.append("    ").append(g).append(":\n      hosts:\n");
      groups.forEach(
          (h, hg) -> {
            if (hg.equals(g)) {
              y.append("        ")
                  .append(h)
                  .append(":\n          port: ")
                  .append(port(h))
                  .append('\n');
            }
          });
    }
    Files.writeString(inventory(), y.toString());
  }

  private void writeKnownHosts() throws IOException {
    StringBuilder kh = new StringBuilder();
    servers.values().forEach(s -> kh.append(s.knownHostsLine()).append('\n'));
    Files.writeString(knownHosts(), kh.toString());
  }

  @Override
  public void close() throws IOException {
    for (HostServer s : servers.values()) {
      s.close();
    }
    for (java.net.Socket hold : downPorts.values()) {
      hold.close();
    }
  }
}
