package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.InputFiles;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlTyping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Ansible's INI inventory format as Ansible 2.14's INI plugin does ({@code
 * lib/ansible/plugins/inventory/ini.py}), which is the reference for every rule here:
 *
 * <ul>
 *   <li>Lines are stripped; empty lines and lines starting with {@code #} or {@code ;} are skipped.
 *   <li>{@code [group]}, {@code [group:vars]}, {@code [group:children]} start a section (a {@code
 *       #} comment may follow); hosts before any section are in {@code ungrouped}. {@code [group]}
 *       or {@code [group:children]} declares a group; a group named only in {@code [x:vars]} or as
 *       a child must be declared somewhere in the file, else the file is refused.
 *   <li>A host line is split as a shell does ({@link Shlex}: quotes, backslash escapes, a {@code #}
 *       comment); its first word is a host pattern (ranges, {@code :port}, which sets {@code
 *       ansible_port} when the host is first seen), the others {@code key=value}.
 *   <li>A {@code [group:vars]} line is {@code key=value}, split at the first {@code =}, both sides
 *       stripped; the value is not split, so {@code a b # c} stays text with its comment.
 *   <li>Every value is typed as a Python literal ({@link PythonLiteral}); what is not one stays
 *       text.
 * </ul>
 */
final class IniInventory {
  private IniInventory() {}

  /** What the INI file declares, in file order; the loader builds the inventory from it. */
  interface Sink {
    /** A group is declared (once per section header or child line; repeats are harmless). */
    void group(String name, SourceLocation at);

    /** {@code child} is a child group of {@code parent}; both are declared groups. */
    void child(String parent, String child, SourceLocation at);

    /**
     * A host is listed in a group.
     *
     * @return whether the host is new to the inventory (Ansible sets a line's {@code :port} then
     *     only)
     */
    boolean host(String group, String host, SourceLocation at);

    /** A host var, in file order (a later one wins). */
    void hostVar(String host, String key, Object value);

    /** A group var of a {@code [group:vars]} section, in file order. */
    void groupVar(String group, String key, Object value);

    /**
     * The groups the inventory already has from the sources read before this file (several {@code
     * -i}, a folder): Ansible's INI plugin checks a child or a {@code [group:vars]} against the
     * whole inventory read so far, not only this file.
     */
    default Set<String> groupsSoFar() {
      return Set.of();
    }

    /** Something Ansible reads with a warning (a range that expands to no host). */
    default void warning(InventoryWarning warning) {}
  }

  /** Ansible's section header: {@code [name]} or {@code [name:tag]}, then a comment. */
  private static final Pattern SECTION =
      Pattern.compile(
          "^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$", Pattern.UNICODE_CHARACTER_CLASS);

  /** A child group line in {@code [x:children]}. */
  private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");

  private static final Set<String> YAML_EXTENSIONS = Set.of(".yml", ".yaml", ".json");

  /**
   * Whether Ansible reads a file as INI. Ansible tries its YAML plugin first on a file with no
   * extension or a {@code .yml}/{@code .yaml}/{@code .json} one (its {@code yaml_extensions}) and
   * falls back to the INI plugin when that file is not a YAML mapping; any other extension is INI
   * only. A file that is not valid YAML but whose first meaningful line looks like YAML ({@code
   * ---}, {@code key:}) is taken as YAML, so that its YAML error is the one reported.
   *
   * @param file an inventory file
   * @return whether to read it as INI
   */
  static boolean isIni(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot > 0 ? name.substring(dot).toLowerCase(Locale.ROOT) : "";
    if (!ext.isEmpty() && !YAML_EXTENSIONS.contains(ext)) {
      return true;
    }
    String text;
    try {
      text = InputFiles.readText(file, "inventory");
    } catch (InputException e) {
      return false; // reported when it is read as YAML
    }
    try {
      YamlNode root = YamlDocument.parse(file, "inventory", text, YamlTyping.PYYAML_1_1);
      return !root.isMapping() && !root.isNull();
    } catch (InputException e) {
      return !looksLikeYaml(text);
    }
  }

  private static boolean looksLikeYaml(String text) {
    for (String line : text.lines().toList()) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
        continue;
      }
      return t.equals("---") || t.matches("[^\\[\\s=][^=]*?:(\\s.*)?");
    }
    return false;
  }

  /**
   * Reads an INI inventory into {@code sink}.
   *
   * @param file the file (for error locations)
   * @param sink receives the groups, hosts and vars in file order
   * @return whether the file declares anything but sections (a host or a var)
   * @throws InputException at {@code file:line} where Ansible refuses the file (naming Ansible's
   *     reason), and where a value is a Python literal with no JSON form
   */
  static boolean read(Path file, Sink sink) {
    List<String> lines = InputFiles.readText(file, "inventory").lines().toList();
    sink.group("all", new SourceLocation(file, 1, 1));
    sink.group("ungrouped", new SourceLocation(file, 1, 1));
    Map<String, Pending> pending = new LinkedHashMap<>();
    Set<String> declared = new java.util.HashSet<>(Set.of("all", "ungrouped"));
    declared.addAll(sink.groupsSoFar());
    String group = "ungrouped";
    String state = "hosts";
    boolean any = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      SourceLocation at = new SourceLocation(file, i + 1, 1);
      if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
        continue;
      }
      Matcher m = SECTION.matcher(line);
      if (m.matches()) {
        group = m.group(1);
        state = m.group(2) == null ? "hosts" : m.group(2);
        if (!Set.of("hosts", "children", "vars").contains(state)) {
          throw new InputException(
              at,
              "section [" + group + ":" + state + "] has the unknown type '" + state + "'",
              "write ["
                  + group
                  + "], ["
                  + group
                  + ":vars] or ["
                  + group
                  + ":children]"
                  + " (Ansible refuses this section too)");
        }
        InventoryLoader.checkGroupName(group, at);
        if (!declared.contains(group)) {
          if (state.equals("vars") && !pending.containsKey(group)) {
            pending.put(group, new Pending(at, "vars", new ArrayList<>()));
          }
          declared.add(group);
          sink.group(group, at);
        }
        Pending p = pending.get(group);
        if (p != null && !state.equals("vars")) {
          if (p.kind().equals("children")) {
            addPendingChildren(group, pending, sink);
          } else {
            pending.remove(group);
          }
        }
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        throw new InputException(
            at,
            "invalid section '" + line + "'",
            "write [group], [group:vars] or [group:children], without spaces"
                + " (Ansible refuses it too)");
      }
      any = true;
      switch (state) {
        case "vars" -> {
          int eq = line.indexOf('=');
          if (eq < 0) {
            throw new InputException(
                at,
                "expected key=value in [" + group + ":vars], found '" + line + "'",
                "write e.g. http_port=80 (Ansible refuses this line too)");
          }
          String key = line.substring(0, eq).strip();
          sink.groupVar(group, key, value(line.substring(eq + 1).strip(), key, at));
        }
        case "children" -> {
          Matcher gm = GROUP_NAME.matcher(line);
          if (!gm.matches()) {
            throw new InputException(
                at,
                "expected one group name in [" + group + ":children], found '" + line + "'",
                "list one child group per line (Ansible refuses this line too)");
          }
          String child = gm.group(1);
          InventoryLoader.checkGroupName(child, at);
          if (child.equals("all")) {
            throw new InputException(
                at,
                "group 'all' cannot be a child of '" + group + "'",
                "'all' contains every host already; remove it from [" + group + ":children]");
          }
          if (!declared.contains(child)) {
            pending.computeIfAbsent(child, k -> new Pending(at, "children", new ArrayList<>()));
            pending.get(child).parents().add(group);
          } else {
            sink.child(group, child, at);
          }
        }
        default -> hostLine(line, group, at, sink);
      }
    }
    for (Map.Entry<String, Pending> e : pending.entrySet()) {
      Pending p = e.getValue();
      if (p.kind().equals("vars")) {
        throw new InputException(
            p.at(),
            "section [" + e.getKey() + ":vars] is for a group that is declared nowhere",
            "declare it with ["
                + e.getKey()
                + "] or list it under some [parent:children]"
                + " (Ansible refuses [group:vars] of an undefined group too)");
      }
      throw new InputException(
          p.at(),
          "section ["
              + p.parents().get(p.parents().size() - 1)
              + ":children] names the group '"
              + e.getKey()
              + "', which is declared nowhere",
          "declare it with [" + e.getKey() + "] (Ansible refuses an undefined child group too)");
    }
    return any;
  }

  /** A group named before its declaration, as a child or by its vars section. */
  private record Pending(SourceLocation at, String kind, List<String> parents) {}

  private static void addPendingChildren(String group, Map<String, Pending> pending, Sink sink) {
    Pending p = pending.remove(group);
    for (String parent : p.parents()) {
      sink.child(parent, group, p.at());
      Pending up = pending.get(parent);
      if (up != null && up.kind().equals("children")) {
        addPendingChildren(parent, pending, sink);
      }
    }
  }

  private static void hostLine(String line, String group, SourceLocation at, Sink sink) {
    List<String> words;
    try {
      words = Shlex.split(line);
    } catch (Shlex.SplitException e) {
      throw new InputException(
          at,
          // the line itself is not quoted: its variables may hold a password
          "cannot split the line of host '"
              + dev.orchestrator.common.Echo.escaped(line.strip().split("\\s+", 2)[0])
              + "': "
              + e.getMessage(),
          "close the quote or escape it with \\ (Ansible refuses this line too)");
    }
    if (words.isEmpty()) {
      return; // only a comment after all (e.g. a line starting with '\#' cannot happen)
    }
    String pattern = words.get(0);
    Map<String, Object> vars = new LinkedHashMap<>();
    for (String w : words.subList(1, words.size())) {
      int eq = w.indexOf('=');
      if (eq < 0) {
        throw new InputException(
            at,
            "host '" + pattern + "': expected key=value, found '" + w + "'",
            "write host vars as key=value after the host name (Ansible refuses this line too)");
      }
      String key = w.substring(0, eq);
      vars.put(key, value(w.substring(eq + 1), key, at));
    }
    HostPattern hp = hostPattern(pattern, at, sink::warning);
    for (String host : hp.hosts()) {
      InventoryLoader.checkHostName(host, at);
      boolean isNew = sink.host(group, host, at);
      if (isNew && hp.port().isPresent() && hp.port().get() != 0) {
        sink.hostVar(host, "ansible_port", hp.port().get());
      }
      vars.forEach((k, v) -> sink.hostVar(host, k, v));
    }
  }

  /** The hosts of a host line's first word and its port. */
  private record HostPattern(List<String> hosts, Optional<Long> port) {}

  /**
   * Splits {@code name:port} ({@code [ipv6]:port} too) and expands host ranges as Ansible's INI
   * plugin does ({@link HostPatterns}); its own refusals: {@code ---} (a YAML file read as INI) and
   * a pattern ending in {@code :} without a port.
   */
  private static HostPattern hostPattern(
      String pattern, SourceLocation at, java.util.function.Consumer<InventoryWarning> warnings) {
    if (pattern.equals("---")) {
      throw new InputException(
          at,
          "invalid host '---'",
          "'---' starts a YAML document: name the file .yml if it is a YAML inventory"
              + " (Ansible refuses it as INI too)");
    }
    HostPatterns.Expanded expanded = HostPatterns.expand(pattern, at, warnings);
    if (pattern.endsWith(":") && expanded.port().isEmpty()) {
      throw new InputException(
          at,
          "invalid host pattern '" + pattern + "': it ends with ':'",
          "write host:port with a port number, or remove the ':' (Ansible refuses it too)");
    }
    return new HostPattern(expanded.hosts(), expanded.port());
  }

  /** Types a value as Ansible's INI plugin does; a literal with no JSON form is refused. */
  private static Object value(String text, String key, SourceLocation at) {
    try {
      return PythonLiteral.eval(text);
    } catch (PythonLiteral.NotALiteral e) {
      return text;
    } catch (PythonLiteral.Unrepresentable e) {
      throw new InputException(
          at,
          "the value of '" + key + "' (" + text + ") is " + e.getMessage() + " in Python",
          "Ansible reads it so, and cannot show it as JSON (ansible-inventory --list fails);"
              + " write a list [...], or quote the whole value to keep it text: "
              + key
              + "=\"'"
              + text
              + "'\"");
    }
  }
}
