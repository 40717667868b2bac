package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlTyping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a YAML inventory in Ansible's structure ({@code all:}/{@code children:}/{@code
 * hosts:}/{@code vars:}), plus {@code group_vars/} and {@code host_vars/} beside it; several of
 * them, and folders of them ({@link InventorySources}), merged as Ansible merges several {@code
 * -i}.
 *
 * <p>Variable precedence (as Ansible): {@link VarsPrecedence}; the vars files: {@link VarsFiles}.
 *
 * <p>Connection vars, the first one set winning: {@code ansible_ssh_host}/{@code
 * ansible_host}/{@code host}, {@code ansible_ssh_port}/{@code ansible_port}/{@code port}, {@code
 * ansible_ssh_user}/{@code ansible_user}/{@code user}, {@code ansible_ssh_private_key_file}/{@code
 * ansible_private_key_file}/{@code private_key_file}, {@code ansible_connection}/{@code connection}
 * ({@code ssh} or {@code local}). The legacy {@code ansible_ssh_*} names win over the newer ones as
 * in Ansible 2.14 ({@code MAGIC_VARIABLE_MAPPING} in {@code lib/ansible/constants.py}, the ssh
 * plugin's option vars, of which the last set wins). Any other connection plugin is read as {@link
 * ConnectionType#UNSUPPORTED}, refused only by a run with work on the host. A relative key path is
 * resolved against the inventory's folder.
 *
 * <p>Host patterns ({@code web[01:20]}, {@code web1:2222}) are expanded by {@link HostPatterns} in
 * both formats; what Ansible skips with a warning (an unknown key in a YAML group, a top-level
 * value that is not a group) is skipped too and reported in {@link Inventory#warnings}.
 *
 * <p>Why one class of over 400 lines: Ansible's YAML inventory structure, its group/host variable
 * precedence and its connection variables are one set of rules (Ansible's inventory plugin and its
 * docs); they are kept together so the precedence can be read top to bottom.
 */
public final class InventoryLoader {
  private static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");

  private final Map<String, Map<String, Object>> groupVars = new HashMap<>();
  private final Map<String, Set<String>> children = new LinkedHashMap<>();
  private final Map<String, Set<String>> directHosts = new LinkedHashMap<>();
  private final Map<String, SourceLocation> groupLocations = new HashMap<>();
  private final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
  private final Map<String, SourceLocation> hostLocations = new HashMap<>();
  private final List<InventoryWarning> warnings = new ArrayList<>();

  /**
   * Loads an inventory file or folder.
   *
   * @param file the inventory (a file, or a folder of them: {@link InventorySources})
   * @return the inventory
   * @throws InputException with {@code file:line:column} on malformed input, unknown keys, group
   *     cycles or invalid connection vars
   */
  public static Inventory load(Path file) {
    return load(List.of(file));
  }

  /**
   * Loads several inventory sources into one inventory, as Ansible does with several {@code -i}:
   * each source's files in turn ({@link InventorySources}), so that hosts and groups are the union,
   * a later source's vars of a host or group replace an earlier's, and inventory order is the order
   * in which hosts are first listed. The {@code group_vars/} and {@code host_vars/} of every
   * source's folder are read ({@link VarsFiles}).
   *
   * @param sources the files and folders given with {@code -i}, in order, at least one
   * @return the inventory
   * @throws InputException with {@code file:line:column} on malformed input, unknown keys, group
   *     cycles or invalid connection vars
   */
  public static Inventory load(List<Path> sources) {
    return load(sources, Optional.empty());
  }

  /**
   * Loads inventory sources for a playbook: as {@link #load(List)}, and the {@code group_vars/} and
   * {@code host_vars/} of the playbook's folder are read too, above those of the sources (as {@code
   * ansible-playbook} does: {@link VarsPrecedence}).
   *
   * @param sources the files and folders given with {@code -i}, in order, at least one
   * @param playbookFolder the playbook's folder, if any
   * @return the inventory
   * @throws InputException with {@code file:line:column} on malformed input, unknown keys, group
   *     cycles or invalid connection vars
   */
  public static Inventory load(List<Path> sources, Optional<Path> playbookFolder) {
    if (sources.isEmpty()) {
      throw new InputException("no inventory given", "name one with -i FILE (or -i FOLDER)");
    }
    return new InventoryLoader().read(sources, playbookFolder);
  }

  private Inventory read(List<Path> sources, Optional<Path> playbookFolder) {
    List<Path> varsBases = new ArrayList<>();
    for (Path source : sources) {
      if (HostList.is(source)) {
        readHostList(source);
        continue; // a host list has no group_vars/ or host_vars/ (Ansible skips it there too)
      }
      for (Path file : InventorySources.files(source)) {
        if (isIni(file)) {
          readIni(file);
        } else {
          readYaml(file);
        }
      }
      varsBases.add(InventorySources.varsBase(source));
    }
    checkCycles();

    VarsPrecedence precedence =
        new VarsPrecedence(
            varsBases, playbookFolder.map(p -> p.toAbsolutePath().normalize()), new VarsFiles());
    Map<String, Integer> depth = depths();
    Map<String, List<String>> members = new LinkedHashMap<>();
    for (String g : children.keySet()) {
      members.put(g, new ArrayList<>(allHosts(g, new LinkedHashSet<>())));
    }
    members.put("all", new ArrayList<>(hostVars.keySet()));
    // Ansible's 'ungrouped': the listed hosts that are in no group but 'all' (and 'ungrouped').
    Set<String> grouped = new java.util.HashSet<>();
    members.forEach(
        (g, hs) -> {
          if (!g.equals("all") && !g.equals("ungrouped")) {
            grouped.addAll(hs);
          }
        });
    List<String> ungrouped =
        hostVars.keySet().stream()
            .filter(h -> hostLocations.containsKey(h) && !grouped.contains(h))
            .toList();
    // Ansible always has 'ungrouped' (a child of 'all'), even empty
    members.put("ungrouped", new ArrayList<>(ungrouped));
    // Each host's groups, in one pass over the memberships (linear in hosts x groups they are in).
    Map<String, List<String>> groupsOf = new java.util.HashMap<>();
    members.forEach(
        (g, hs) -> hs.forEach(h -> groupsOf.computeIfAbsent(h, k -> new ArrayList<>()).add(g)));
    Map<String, Host> hosts = new LinkedHashMap<>();
    for (String h : hostVars.keySet()) {
      if (!hostLocations.containsKey(h)) {
        continue; // host_vars/ for a host the inventory does not list
      }
      List<String> groups =
          groupsOf.getOrDefault(h, List.of()).stream()
              .distinct()
              .sorted(
                  (a, b) -> {
                    int da = depth.getOrDefault(a, 1);
                    int db = depth.getOrDefault(b, 1);
                    return da == db ? a.compareTo(b) : Integer.compare(da, db);
                  })
              .toList();
      Map<String, Object> vars = precedence.hostVars(h, groups, groupVars, hostVars.get(h));
      Path dir = hostLocations.get(h).file().toAbsolutePath().getParent();
      hosts.put(h, new Host(h, groups, vars, connection(h, vars, dir)));
      List<String> ignored = SshArgs.ignored(vars);
      if (!ignored.isEmpty()) {
        warnings.add(
            new InventoryWarning(
                hostLocations.get(h),
                "host '"
                    + h
                    + "': SSH options orchestrator ignores (it connects with its own SSH client): "
                    + String.join(", ", ignored)));
      }
    }
    members.replaceAll((g, hs) -> hs.stream().filter(hosts::containsKey).toList());
    return new Inventory(sources, hosts, members, warnings);
  }

  private void readYaml(Path file) {
    YamlNode root = YamlDocument.load(file, "inventory", YamlTyping.PYYAML_1_1);
    YamlMap top = root.asMap("the inventory");
    if (top.entries().isEmpty()) {
      throw root.error(
          "the inventory is empty",
          "add 'all:' with 'hosts:' or 'children:' (Ansible's YAML inventory structure)");
    }
    group("all", null, root, true);
    for (YamlMap.Entry e : top.entries()) {
      checkGroupName(e.key(), e.name());
      if (!e.value().isNull() && !e.value().isMapping()) {
        warnings.add(
            new InventoryWarning(
                e.key().location(),
                "'"
                    + e.name()
                    + "' is not a group (its value is not a mapping): Ansible skips it"
                    + " (write 'hosts:', 'vars:' or 'children:' under it)"));
        continue;
      }
      group(e.name(), e.key(), e.value(), false);
      if (!e.name().equals("all")) {
        children.get("all").add(e.name());
      }
    }
  }

  /** Whether a file is an Ansible INI inventory ({@link IniInventory#isIni}). */
  static boolean isIni(Path file) {
    return IniInventory.isIni(file);
  }

  /** Reads Ansible's INI inventory format ({@link IniInventory}). */
  private void readIni(Path file) {
    children.computeIfAbsent("all", k -> new LinkedHashSet<>());
    directHosts.computeIfAbsent("all", k -> new LinkedHashSet<>());
    boolean any =
        IniInventory.read(
            file,
            new IniInventory.Sink() {
              @Override
              public void warning(InventoryWarning warning) {
                warnings.add(warning);
              }

              @Override
              public Set<String> groupsSoFar() {
                return Set.copyOf(children.keySet());
              }

              @Override
              public void group(String name, SourceLocation at) {
                iniGroup(name, at);
              }

              @Override
              public void child(String parent, String child, SourceLocation at) {
                children.get(parent).add(child);
              }

              @Override
              public boolean host(String group, String host, SourceLocation at) {
                directHosts.get(group).add(host);
                boolean isNew = hostLocations.putIfAbsent(host, at) == null;
                hostVars.computeIfAbsent(host, k -> new LinkedHashMap<>());
                return isNew;
              }

              @Override
              public void hostVar(String host, String key, Object value) {
                hostVars.get(host).put(key, value);
              }

              @Override
              public void groupVar(String group, String key, Object value) {
                groupVars.computeIfAbsent(group, k -> new LinkedHashMap<>()).put(key, value);
              }
            });
    if (!any) {
      throw new InputException(
          new SourceLocation(file, 1, 1),
          "the inventory is empty",
          "add hosts under [group] sections (Ansible's INI inventory format)");
    }
  }

  /** Reads an inline host list ({@link HostList}): each new host into {@code ungrouped}. */
  private void readHostList(Path source) {
    SourceLocation at = new SourceLocation(source, 1, 1);
    children.computeIfAbsent("all", k -> new LinkedHashSet<>());
    directHosts.computeIfAbsent("all", k -> new LinkedHashSet<>());
    iniGroup("ungrouped", at);
    for (HostList.Entry e : HostList.entries(source.toString())) {
      if (!hostLocations.containsKey(e.name())) {
        addHost("ungrouped", e.name(), e.port(), at);
      }
    }
  }

  private void iniGroup(String name, SourceLocation at) {
    if (children.containsKey(name)) {
      return;
    }
    children.put(name, new LinkedHashSet<>());
    directHosts.put(name, new LinkedHashSet<>());
    groupLocations.putIfAbsent(name, at);
    if (!name.equals("all")) {
      children.get("all").add(name);
    }
  }

  /**
   * Adds a host to a group where the inventory lists it, as Ansible's {@code add_host}: a pattern's
   * port becomes {@code ansible_port} only where the host is first listed, and before its own vars
   * (which may set {@code ansible_port} again).
   *
   * @return the host's vars, to add the vars of this listing to
   */
  private Map<String, Object> addHost(
      String group, String host, Optional<Long> port, SourceLocation at) {
    checkHostName(host, at);
    directHosts.get(group).add(host);
    boolean first = hostLocations.putIfAbsent(host, at) == null;
    Map<String, Object> vars = hostVars.computeIfAbsent(host, k -> new LinkedHashMap<>());
    if (first && port.isPresent() && port.get() != 0) {
      vars.put("ansible_port", port.get());
    }
    return vars;
  }

  /**
   * Refuses a host name that Ansible refuses ({@code lib/ansible/inventory/data.py}: an empty name)
   * and, stricter than Ansible because a host name becomes a file name (step logs, records on the
   * host) and must be selectable by a host pattern: white space, control characters and {@code ,}
   * (the pattern separator). Anything else is kept as written; where it becomes a path it is
   * encoded ({@link dev.orchestrator.common.FileNames}).
   *
   * @throws InputException at {@code at}, naming the offending character
   */
  static void checkHostName(String name, SourceLocation at) {
    checkName("host", name, at);
  }

  /**
   * Refuses a group name that no host pattern can name: empty, white space, control characters,
   * {@code ,} or {@code :} (the pattern separators). Ansible only warns about group names that are
   * not identifiers ({@code to_safe_group_name} in {@code lib/ansible/inventory/group.py}); the
   * others are kept.
   */
  static void checkGroupName(String name, SourceLocation at) {
    checkName("group", name, at);
    if (name.indexOf(':') >= 0) {
      throw new InputException(
          at,
          "invalid group name '" + name + "': ':' separates host patterns",
          "rename the group with letters, digits and '_' (Ansible's advice for group names)");
    }
  }

  private static void checkGroupName(YamlNode key, String name) {
    if (!key.isString()) {
      throw key.error(
          "group name " + name + " is not a string",
          "quote it, or better start it with a letter: group names are identifiers in Ansible");
    }
    checkGroupName(name, key.location());
  }

  private static void checkName(String kind, String name, SourceLocation at) {
    if (name.isEmpty()) {
      throw new InputException(
          at, "empty " + kind + " name", "give the " + kind + " a name (Ansible refuses it too)");
    }
    for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
      int c = name.codePointAt(i);
      if (Character.isWhitespace(c)
          || Character.isSpaceChar(c)
          || Character.getType(c) == Character.CONTROL
          || Character.getType(c) == Character.FORMAT
          || c == ',') {
        throw new InputException(
            at,
            "invalid "
                + kind
                + " name '"
                + name.replaceAll("\\p{Cc}", "?")
                + "': it contains "
                + (c == ',' ? "','" : String.format("the character U+%04X", c))
                + " at position "
                + (name.codePointCount(0, i) + 1),
            kind
                + " names are used in host patterns (','-separated) and become file names;"
                + " use letters, digits, '.', '-' and '_'");
      }
    }
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
    YamlMap m = node.asMap("group '" + name + "'");
    warnUnknownKeys(m, name);
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
              if (hs.isString()) { // Ansible reads 'hosts: web1' as 'hosts: {web1: }'
                String pattern = hs.asString("hosts of group '" + name + "'");
                HostPatterns.Expanded expanded =
                    HostPatterns.expand(pattern, hs.location(), warnings::add);
                expanded.hosts().forEach(h -> addHost(name, h, expanded.port(), hs.location()));
                return;
              }
              for (YamlMap.Entry e : hs.asMap("hosts of group '" + name + "'").entries()) {
                String pattern = e.name();
                if (!e.key().isString()) {
                  throw e.key()
                      .error(
                          "host name " + pattern + " is not a string",
                          "quote it, e.g. \""
                              + pattern
                              + "\": (Ansible: enclose integers/floats in quotation marks)");
                }
                if (!e.value().isNull()) {
                  e.value().asMap("vars of host '" + pattern + "'");
                }
                HostPatterns.Expanded expanded =
                    HostPatterns.expand(pattern, e.key().location(), warnings::add);
                for (String host : expanded.hosts()) {
                  Map<String, Object> vars =
                      addHost(name, host, expanded.port(), e.key().location());
                  if (!e.value().isNull()) {
                    vars.putAll((Map<String, Object>) e.value().toPlain(host));
                  }
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
                checkGroupName(e.key(), e.name());
                children.get(name).add(e.name());
                group(e.name(), e.key(), e.value(), false);
              }
            });
  }

  /**
   * Warns about the keys of a YAML group other than {@code hosts}, {@code vars} and {@code
   * children}, which Ansible skips with a warning ({@code _parse_group} in {@code
   * lib/ansible/plugins/inventory/yaml.py}; silently when the value is empty).
   */
  private void warnUnknownKeys(YamlMap group, String name) {
    for (YamlMap.Entry e : group.entries()) {
      if (!GROUP_KEYS.contains(e.name())) {
        String near =
            dev.orchestrator.common.Suggestions.near(e.name(), GROUP_KEYS, 1).stream()
                .map(k -> "; did you mean '" + k + "'?")
                .findFirst()
                .orElse("");
        warnings.add(
            new InventoryWarning(
                e.key().location(),
                "unknown key '"
                    + e.name()
                    + "' in group '"
                    + name
                    + "': Ansible ignores it and what it holds (a group has 'hosts', 'vars' and"
                    + " 'children')"
                    + near));
      }
    }
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

  private ConnectionSpec connection(String host, Map<String, Object> vars, Path dir) {
    SourceLocation at = hostLocations.get(host);
    String type = str(vars, "ansible_connection", "connection").orElse("ssh");
    ConnectionType ct =
        switch (type) {
          case "ssh", "smart", "paramiko" -> ConnectionType.SSH;
          case "local" -> ConnectionType.LOCAL;
          default -> ConnectionType.UNSUPPORTED; // valid, as in Ansible: a run refuses it
        };
    String address = str(vars, "ansible_ssh_host", "ansible_host", "host").orElse(host);
    int port;
    Object portValue = first(vars, "ansible_ssh_port", "ansible_port", "port").orElse(22L);
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
    String user =
        str(vars, "ansible_ssh_user", "ansible_user", "user")
            .orElse(System.getProperty("user.name"));
    Optional<Path> key =
        str(vars, "ansible_ssh_private_key_file", "ansible_private_key_file", "private_key_file")
            .map(
                k -> {
                  Path p =
                      Path.of(
                          k.startsWith("~/")
                              ? System.getProperty("user.home") + k.substring(1)
                              : k);
                  return p.isAbsolute() ? p : dir.resolve(p).normalize();
                });
    return new ConnectionSpec(ct, address, port, user, key, type.isBlank() ? "(empty)" : type);
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
