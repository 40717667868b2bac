package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.InputFiles;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
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
 * <p>Connection vars: {@code ansible_host}/{@code host}, {@code ansible_port}/{@code port}, {@code
 * ansible_user}/{@code user}, {@code ansible_ssh_private_key_file}/{@code private_key_file}, {@code
 * ansible_connection}/{@code connection} ({@code ssh} or {@code local}). A relative key path is
 * resolved against the inventory's folder.
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
    if (!ungrouped.isEmpty() || members.containsKey("ungrouped")) {
      members.put("ungrouped", new ArrayList<>(ungrouped));
    }
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
    }
    members.replaceAll((g, hs) -> hs.stream().filter(hosts::containsKey).toList());
    return new Inventory(sources, hosts, members);
  }

  private void readYaml(Path file) {
    YamlNode root = YamlDocument.load(file, "inventory");
    YamlMap top = root.asMap("the inventory");
    if (top.entries().isEmpty()) {
      throw root.error(
          "the inventory is empty",
          "add 'all:' with 'hosts:' or 'children:' (Ansible's YAML inventory structure)");
    }
    group("all", null, root, true);
    for (YamlMap.Entry e : top.entries()) {
      checkGroupName(e.key(), e.name());
      group(e.name(), e.key(), e.value(), false);
      if (!e.name().equals("all")) {
        children.get("all").add(e.name());
      }
    }
  }

  private static final java.util.regex.Pattern SECTION =
      java.util.regex.Pattern.compile("\\[([^\\]:\\s]+)(?::(vars|children))?\\]");
  private static final java.util.regex.Pattern RANGE =
      java.util.regex.Pattern.compile("\\[([0-9]+|[a-z]):([0-9]+|[a-z])(?::([0-9]+))?\\]");

  /**
   * Whether a file is an Ansible INI inventory: {@code .ini}, or (without a YAML extension) a file
   * whose first meaningful line is a {@code [section]} or a host line rather than YAML.
   */
  static boolean isIni(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".ini")) {
      return true;
    }
    if (name.matches(".*\\.(ya?ml|json)$")) {
      return false;
    }
    try {
      for (String line : InputFiles.readText(file, "inventory").lines().toList()) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith(";") || t.equals("---")) {
          continue;
        }
        return t.startsWith("[") || !t.contains(":") || t.matches("\\S+\\s+\\S+=.*");
      }
    } catch (InputException e) {
      return false; // reported when it is read as YAML
    }
    return false;
  }

  /**
   * Reads Ansible's INI inventory format: {@code [group]} host lines with {@code key=value} host
   * vars and ranges such as {@code web[01:20].example.com}, {@code [group:vars]}, {@code
   * [group:children]}; hosts before any section are in {@code ungrouped}. Values are typed as
   * Ansible does: integers, {@code true}/{@code false}, quoted strings.
   */
  private void readIni(Path file) {
    List<String> lines = InputFiles.readText(file, "inventory").lines().toList();
    children.computeIfAbsent("all", k -> new LinkedHashSet<>());
    directHosts.computeIfAbsent("all", k -> new LinkedHashSet<>());
    String section = "ungrouped";
    String kind = "hosts";
    boolean any = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      SourceLocation at = new SourceLocation(file, i + 1, 1);
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      java.util.regex.Matcher sm = SECTION.matcher(line);
      if (sm.matches()) {
        section = sm.group(1);
        kind = sm.group(2) == null ? "hosts" : sm.group(2);
        iniGroup(section, at);
        continue;
      }
      if (line.startsWith("[")) {
        throw new InputException(
            at,
            "invalid section '" + line + "'",
            "write [group], [group:vars] or [group:children]");
      }
      any = true;
      List<String> tokens = iniTokens(line.replaceAll("\\s+#.*$", ""), at);
      switch (kind) {
        case "vars" -> {
          int eq = line.indexOf('=');
          if (eq < 1) {
            throw new InputException(
                at,
                "expected key=value in [" + section + ":vars], found '" + line + "'",
                "write e.g. http_port=80");
          }
          groupVars
              .computeIfAbsent(section, k -> new LinkedHashMap<>())
              .put(line.substring(0, eq).strip(), iniValue(line.substring(eq + 1).strip()));
        }
        case "children" -> {
          if (tokens.size() != 1) {
            throw new InputException(
                at,
                "expected one group name in [" + section + ":children], found '" + line + "'",
                "list one child group per line");
          }
          checkGroupName(tokens.get(0), at);
          iniGroup(tokens.get(0), at);
          children.get(section).add(tokens.get(0));
        }
        default -> {
          iniGroup(section, at);
          Map<String, Object> vars = new LinkedHashMap<>();
          for (String t : tokens.subList(1, tokens.size())) {
            int eq = t.indexOf('=');
            if (eq < 1) {
              throw new InputException(
                  at,
                  "host '" + tokens.get(0) + "': expected key=value, found '" + t + "'",
                  "write host vars as key=value after the host name");
            }
            vars.put(t.substring(0, eq), iniValue(t.substring(eq + 1)));
          }
          for (String host : expandRanges(tokens.get(0), at)) {
            checkHostName(host, at);
            directHosts.get(section).add(host);
            hostLocations.putIfAbsent(host, at);
            hostVars.computeIfAbsent(host, k -> new LinkedHashMap<>()).putAll(vars);
          }
        }
      }
    }
    if (!any) {
      throw new InputException(
          new SourceLocation(file, 1, 1),
          "the inventory is empty",
          "add hosts under [group] sections (Ansible's INI inventory format)");
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

  /** Splits a host line on white space, keeping quoted values ({@code a="b c"}) together. */
  private static List<String> iniTokens(String line, SourceLocation at) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        cur.append(c);
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        cur.append(c);
      } else if (Character.isWhitespace(c)) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (quote != 0) {
      throw new InputException(at, "unclosed quote in '" + line + "'", "close the quote");
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /**
   * Types an INI value as Ansible does (its INI plugin evaluates a value as a Python literal and
   * keeps the text when that fails): a quoted string, an integer ({@code 8080}, not {@code 08}), a
   * float, {@code True}/{@code False}, {@code None}; anything else, {@code true} and {@code yes}
   * included, stays text. Checked against {@code ansible-inventory --list} (AnsibleInventoryIT).
   */
  static Object iniValue(String v) {
    if (v.length() >= 2
        && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    if (v.matches("-?(0|[1-9][0-9]*)")) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    if (v.matches("-?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
      return Double.parseDouble(v);
    }
    return switch (v) {
      case "True" -> Boolean.TRUE;
      case "False" -> Boolean.FALSE;
      case "None" -> null;
      default -> v;
    };
  }

  /** The most hosts one INI host line may expand to through ranges. */
  static final int MAX_RANGE_HOSTS = 100_000;

  /**
   * Expands Ansible host ranges: {@code web[01:03]} → web01, web02, web03; {@code [a:c]}; a stride.
   *
   * @throws InputException on an empty or reversed range, a stride below 1, a number beyond 18
   *     digits, or more than {@link #MAX_RANGE_HOSTS} hosts
   */
  static List<String> expandRanges(String pattern, SourceLocation at) {
    List<String> out = new ArrayList<>();
    expandRanges(pattern, at, out);
    return out;
  }

  private static void expandRanges(String pattern, SourceLocation at, List<String> out) {
    java.util.regex.Matcher m = RANGE.matcher(pattern);
    if (!m.find()) {
      out.add(pattern);
      if (out.size() > MAX_RANGE_HOSTS) {
        throw new InputException(
            at,
            "the host ranges of '"
                + pattern
                + "' expand to more than "
                + MAX_RANGE_HOSTS
                + " hosts",
            "check the ranges' bounds");
      }
      return;
    }
    String head = pattern.substring(0, m.start());
    String tail = pattern.substring(m.end());
    String from = m.group(1);
    String to = m.group(2);
    long stride = m.group(3) == null ? 1 : rangeNumber(m.group(3), at);
    if (stride < 1) {
      throw new InputException(
          at, "invalid host range stride " + stride + " in " + m.group(), "a stride is at least 1");
    }
    long a;
    long b;
    String format;
    if (Character.isDigit(from.charAt(0)) && Character.isDigit(to.charAt(0))) {
      a = rangeNumber(from, at);
      b = rangeNumber(to, at);
      format = from.length() > 1 && from.startsWith("0") ? "%0" + from.length() + "d" : "%d";
    } else if (Character.isLetter(from.charAt(0)) && Character.isLetter(to.charAt(0))) {
      a = from.charAt(0);
      b = to.charAt(0);
      format = null;
    } else {
      throw new InputException(
          at,
          "invalid host range [" + from + ":" + to + "]",
          "use numbers [01:20] or letters [a:f]");
    }
    if (a > b) {
      throw new InputException(
          at,
          "invalid host range [" + from + ":" + to + "]",
          "write [start:end] with start <= end");
    }
    if ((b - a) / stride + 1 > MAX_RANGE_HOSTS) {
      throw new InputException(
          at,
          "the host range " + m.group() + " has more than " + MAX_RANGE_HOSTS + " hosts",
          "check the range's bounds");
    }
    for (long n = a; n <= b; n += stride) {
      String v = format == null ? String.valueOf((char) n) : String.format(format, n);
      expandRanges(head + v + tail, at, out);
    }
  }

  private static long rangeNumber(String digits, SourceLocation at) {
    if (digits.length() > 18) {
      throw new InputException(
          at, "the host range number " + digits + " is too large", "check the range's bounds");
    }
    return Long.parseLong(digits);
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
                if (!e.key().isString()) {
                  throw e.key()
                      .error(
                          "host name " + host + " is not a string",
                          "quote it, e.g. \""
                              + host
                              + "\": (Ansible: enclose integers/floats in quotation marks)");
                }
                checkHostName(host, e.key().location());
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
                checkGroupName(e.key(), e.name());
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
