package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads a YAML inventory in Ansible's structure ({@code all:}/{@code children:}/{@code
 * hosts:}/{@code vars:}), plus {@code group_vars/} and {@code host_vars/} beside it.
 *
 * <p>Variable precedence, lowest first (as Ansible): group vars by depth below {@code all} (parents
 * before children, same depth by name), {@code group_vars/} files over the inventory's own group
 * vars, then host vars, then {@code host_vars/} files.
 *
 * <p>Connection vars: {@code ansible_host}/{@code host}, {@code ansible_port}/{@code port}, {@code
 * ansible_user}/{@code user}, {@code ansible_ssh_private_key_file}/{@code private_key_file}, {@code
 * ansible_connection}/{@code connection} ({@code ssh} or {@code local}). A relative key path is
 * resolved against the inventory's folder.
 */
public final class InventoryLoader {
  private static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");

  private final Map<String, Map<String, Object>> groupVars = new HashMap<>();
  private final Map<String, Set<String>> children = new LinkedHashMap<>();
  private final Map<String, Set<String>> directHosts = new LinkedHashMap<>();
  private final Map<String, SourceLocation> groupLocations = new HashMap<>();
  private final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
  private final Map<String, SourceLocation> hostLocations = new HashMap<>();

  /**
   * Loads an inventory file.
   *
   * @param file the YAML inventory
   * @return the inventory
   * @throws InputException with {@code file:line:column} on malformed input, unknown keys, group
   *     cycles or invalid connection vars
   */
  public static Inventory load(Path file) {
    return new InventoryLoader().read(file);
  }

  private Inventory read(Path file) {
    if (Files.isDirectory(file)) {
      throw new InputException(
          "the inventory " + file + " is a folder",
          "name the inventory file inside it, e.g. " + file.resolve("hosts.yml"));
    }
    YamlNode root = YamlDocument.load(file, "inventory");
    YamlMap top = root.asMap("the inventory");
    if (top.entries().isEmpty()) {
      throw root.error(
          "the inventory is empty",
          "add 'all:' with 'hosts:' or 'children:' (Ansible's YAML inventory structure)");
    }
    group("all", null, root, true);
    for (YamlMap.Entry e : top.entries()) {
      group(e.name(), e.key(), e.value(), false);
      if (!e.name().equals("all")) {
        children.get("all").add(e.name());
      }
    }
    checkCycles();
    Path dir = file.toAbsolutePath().getParent();
    readVarsDir(dir.resolve("group_vars"), groupVars, "group");
    readVarsDir(dir.resolve("host_vars"), hostVars, "host");

    Map<String, Integer> depth = depths();
    Map<String, List<String>> members = new LinkedHashMap<>();
    for (String g : children.keySet()) {
      members.put(g, new ArrayList<>(allHosts(g, new LinkedHashSet<>())));
    }
    members.put("all", new ArrayList<>(hostVars.keySet()));
    Map<String, Host> hosts = new LinkedHashMap<>();
    for (String h : hostVars.keySet()) {
      if (!hostLocations.containsKey(h)) {
        continue; // host_vars/ for a host the inventory does not list
      }
      List<String> groups =
          members.entrySet().stream()
              .filter(e -> e.getValue().contains(h))
              .map(Map.Entry::getKey)
              .sorted(
                  (a, b) ->
                      depth.get(a).equals(depth.get(b))
                          ? a.compareTo(b)
                          : Integer.compare(depth.get(a), depth.get(b)))
              .toList();
      Map<String, Object> vars = new LinkedHashMap<>();
      for (String g : groups) {
        vars.putAll(groupVars.getOrDefault(g, Map.of()));
      }
      vars.putAll(hostVars.get(h));
      hosts.put(h, new Host(h, groups, vars, connection(h, vars, dir)));
    }
    members.replaceAll((g, hs) -> hs.stream().filter(hosts::containsKey).toList());
    return new Inventory(file, hosts, members);
  }

  @SuppressWarnings("unchecked")
  private void group(String name, YamlNode keyNode, YamlNode node, boolean onlyRegister) {
    children.computeIfAbsent(name, k -> new LinkedHashSet<>());
    directHosts.computeIfAbsent(name, k -> new LinkedHashSet<>());
    if (onlyRegister) {
      return;
    }
    if (keyNode != null) {
      groupLocations.putIfAbsent(name, keyNode.location());
    }
    if (node.isNull()) {
      return;
    }
    YamlMap m = node.asMap("group '" + name + "'").allowOnly(GROUP_KEYS);
    m.get("vars")
        .ifPresent(
            v -> {
              v.asMap("vars of group '" + name + "'");
              groupVars
                  .computeIfAbsent(name, k -> new LinkedHashMap<>())
                  .putAll((Map<String, Object>) v.toPlain("vars"));
            });
    m.get("hosts")
        .ifPresent(
            hs -> {
              for (YamlMap.Entry e : hs.asMap("hosts of group '" + name + "'").entries()) {
                String host = e.name();
                directHosts.get(name).add(host);
                hostLocations.putIfAbsent(host, e.key().location());
                Map<String, Object> vars =
                    hostVars.computeIfAbsent(host, k -> new LinkedHashMap<>());
                if (!e.value().isNull()) {
                  e.value().asMap("vars of host '" + host + "'");
                  vars.putAll((Map<String, Object>) e.value().toPlain(host));
                }
              }
            });
    m.get("children")
        .ifPresent(
            cs -> {
              for (YamlMap.Entry e : cs.asMap("children of group '" + name + "'").entries()) {
                if (e.name().equals("all")) {
                  throw e.key()
                      .error(
                          "group 'all' cannot be a child of '" + name + "'",
                          "'all' contains every host already; remove it from 'children'");
                }
                children.get(name).add(e.name());
                group(e.name(), e.key(), e.value(), false);
              }
            });
  }

  private void checkCycles() {
    Map<String, Integer> state = new HashMap<>();
    for (String g : children.keySet()) {
      visit(g, state, new ArrayList<>());
    }
  }

  private void visit(String g, Map<String, Integer> state, List<String> path) {
    Integer s = state.get(g);
    if (s != null && s == 2) {
      return;
    }
    path.add(g);
    if (s != null && s == 1) {
      SourceLocation at =
          groupLocations.getOrDefault(g, new SourceLocation(Path.of("inventory"), 1, 1));
      throw new InputException(
          at,
          "group cycle: " + String.join(" -> ", path.subList(path.indexOf(g), path.size())),
          "a group cannot contain itself through 'children'; remove one of these links");
    }
    state.put(g, 1);
    for (String c : children.getOrDefault(g, Set.of())) {
      visit(c, state, path);
    }
    state.put(g, 2);
    path.remove(path.size() - 1);
  }

  private Map<String, Integer> depths() {
    Map<String, Integer> depth = new HashMap<>();
    depth.put("all", 0);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<String, Set<String>> e : children.entrySet()) {
        Integer d = depth.get(e.getKey());
        if (d == null) {
          continue;
        }
        for (String c : e.getValue()) {
          if (depth.getOrDefault(c, -1) < d + 1) {
            depth.put(c, d + 1);
            changed = true;
          }
        }
      }
    }
    children.keySet().forEach(g -> depth.putIfAbsent(g, 1));
    return depth;
  }

  private Set<String> allHosts(String group, Set<String> out) {
    out.addAll(directHosts.getOrDefault(group, Set.of()));
    for (String c : children.getOrDefault(group, Set.of())) {
      allHosts(c, out);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void readVarsDir(Path dir, Map<String, Map<String, Object>> into, String kind) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.sorted().toList()) {
        String fileName = p.getFileName().toString();
        List<Path> files = new ArrayList<>();
        String name;
        if (Files.isDirectory(p)) {
          name = fileName;
          try (Stream<Path> inner = Files.list(p)) {
            inner.filter(InventoryLoader::isYaml).sorted().forEach(files::add);
          }
        } else if (isYaml(p)) {
          name = fileName.replaceFirst("\\.(ya?ml|json)$", "");
          files.add(p);
        } else {
          continue;
        }
        for (Path f : files) {
          YamlNode root = YamlDocument.load(f, kind + " vars");
          if (root.isNull()) {
            continue;
          }
          root.asMap(kind + " vars of '" + name + "'");
          into.computeIfAbsent(name, k -> new LinkedHashMap<>())
              .putAll((Map<String, Object>) root.toPlain(name));
        }
      }
    } catch (IOException e) {
      throw new InputException(
          "cannot read " + dir + ": " + e.getMessage(), "check the folder's permissions");
    }
  }

  private static boolean isYaml(Path p) {
    return Files.isRegularFile(p) && p.getFileName().toString().matches(".*\\.(ya?ml|json)$");
  }

  private ConnectionSpec connection(String host, Map<String, Object> vars, Path dir) {
    SourceLocation at = hostLocations.get(host);
    String type = str(vars, "ansible_connection", "connection").orElse("ssh");
    ConnectionType ct =
        switch (type) {
          case "ssh", "smart", "paramiko" -> ConnectionType.SSH;
          case "local" -> ConnectionType.LOCAL;
          default ->
              throw new InputException(
                  at, "host '" + host + "' has connection '" + type + "'", "use 'ssh' or 'local'");
        };
    String address = str(vars, "ansible_host", "host").orElse(host);
    int port;
    Object portValue = first(vars, "ansible_port", "port").orElse(22L);
    try {
      port = Integer.parseInt(String.valueOf(portValue));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new InputException(
          at,
          "host '" + host + "' has port '" + portValue + "'",
          "a port is a number from 1 to 65535");
    }
    String user = str(vars, "ansible_user", "user").orElse(System.getProperty("user.name"));
    Optional<Path> key =
        str(vars, "ansible_ssh_private_key_file", "private_key_file")
            .map(
                k -> {
                  Path p =
                      Path.of(
                          k.startsWith("~/")
                              ? System.getProperty("user.home") + k.substring(1)
                              : k);
                  return p.isAbsolute() ? p : dir.resolve(p).normalize();
                });
    return new ConnectionSpec(ct, address, port, user, key);
  }

  private static Optional<Object> first(Map<String, Object> vars, String... names) {
    for (String n : names) {
      if (vars.get(n) != null) {
        return Optional.of(vars.get(n));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> str(Map<String, Object> vars, String... names) {
    return first(vars, names).map(String::valueOf);
  }
}
