package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlTyping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a playbook's {@code roles:} in Ansible's layout
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_reuse_roles.html): {@code
 * roles/NAME/} next to the playbook, with {@code tasks/main.yml} (its steps, ids prefixed {@code
 * NAME.}), {@code defaults/main.yml}, {@code vars/main.yml}, {@code handlers/main.yml} and {@code
 * meta/main.yml}'s {@code dependencies} (run first, each role once), each {@code main.yml} or
 * {@code main.yaml}. An entry is a name or {@code {role: NAME, vars: {...}, when: ..., tags:
 * [...]}}; its {@code when:} and {@code tags:} apply to the role's own steps.
 *
 * <p>A role is looked for in {@code roles/} next to the playbook, then in each folder of {@code
 * roles_path} ({@code ansible.cfg} or {@code ANSIBLE_ROLES_PATH}), the first found winning, as
 * Ansible searches them (https://docs.ansible.com/ansible/latest/reference_appendices/config.html
 * #default-roles-path).
 *
 * <p>Where we differ: no collections, no role in the playbook's own folder; a name is a folder name
 * of lower-case letters, digits, {@code - _ .} (it prefixes step ids); a role listed twice in
 * {@code roles:} is an error (Ansible runs it once, or twice with other parameters), and role
 * parameters other than {@code vars:} are refused.
 */
final class RoleLoader {
  private static final Set<String> ENTRY_KEYS = Set.of("role", "vars", "when", "tags");

  private final Path playbookDir;
  private final StepFiles files;
  private final Map<String, Object> playVars;
  private final List<Path> rolesPath;
  private final List<LoadedRole> roles = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();
  private final Map<String, Integer> placed = new java.util.HashMap<>();

  /**
   * A role being read, for its dependencies' scopes.
   *
   * @param name its name
   * @param defaults its {@code defaults/main.yml}
   * @param vars its {@code vars/main.yml}
   */
  private record Frame(String name, Map<String, Object> defaults, Map<String, Object> vars) {}

  /**
   * Creates a loader.
   *
   * @param playbook the playbook file
   * @param files reads the roles' step files
   * @param playVars the playbook's {@code vars}, which step file names may use
   */
  RoleLoader(Path playbook, StepFiles files, Map<String, Object> playVars) {
    this(playbook, files, playVars, List.of());
  }

  /**
   * Creates a loader that also looks for roles in {@code rolesPath}.
   *
   * @param rolesPath where roles are looked for after the playbook's {@code roles/}, in order
   */
  RoleLoader(Path playbook, StepFiles files, Map<String, Object> playVars, List<Path> rolesPath) {
    this.rolesPath = List.copyOf(rolesPath);
    this.playbookDir = StepFiles.folder(playbook);
    this.files = files;
    this.playVars = playVars;
  }

  /** Returns the roles read, dependencies first. */
  List<LoadedRole> roles() {
    return roles;
  }

  /** Returns the roles' steps, in the order they run. */
  List<Step> steps() {
    return steps;
  }

  /**
   * Reads the {@code roles:} list.
   *
   * @throws InputException at the entry or file that is wrong
   */
  void load(YamlNode list) {
    for (YamlNode n : list.asList("roles")) {
      entry(n, List.of(), new Placement("", Map.of(), steps));
    }
  }

  /**
   * Where a role's steps go: the list they are added to, the prefix of their ids before the role's
   * name, and the {@code vars:} of the entries that bring them in ({@link StepScope}).
   */
  private record Placement(String prefix, Map<String, Object> vars, List<Step> sink) {}

  /** Reads one entry and, first, its dependencies; returns the role (read before, if it was). */
  private Optional<LoadedRole> entry(YamlNode n, List<Frame> frames, Placement place) {
    YamlNode nameNode = n;
    Map<String, Object> entryVars = Map.of();
    List<String> whens = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    if (n.isMapping()) {
      YamlMap m = n.asMap("a role").allowOnly(ENTRY_KEYS);
      nameNode = m.require("role");
      entryVars = m.get("vars").map(RoleLoader::plainMap).orElse(Map.of());
      m.get("when").ifPresent(w -> whens.add(files.condition(w)));
      m.get("tags").ifPresent(t -> tags.addAll(StepFiles.tags(t)));
    }
    return read(
        nameNode, entryVars, whens, tags, RoleImport.From.MAIN, frames, place, n.location());
  }

  /**
   * Reads an {@code import_role}/{@code include_role} entry of a step list ({@link RoleImport}):
   * the role is found and read as a {@code roles:} entry is (its defaults, vars, handlers and
   * dependencies, registered once), and its steps returned to be put at the entry's place, under
   * the entry's and the enclosing includes' {@code when:}, {@code tags:} and {@code vars:}.
   *
   * @throws InputException at the entry, argument or file that is wrong
   */
  List<Step> imported(YamlMap m, StepFiles.Context ctx) {
    RoleImport request = RoleImport.read(m);
    List<String> whens = new ArrayList<>(ctx.whens());
    m.get("when").ifPresent(w -> whens.add(files.condition(w)));
    List<String> tags = new ArrayList<>(ctx.tags());
    m.get("tags").ifPresent(t -> tags.addAll(StepFiles.tags(t)));
    Map<String, Object> vars = new LinkedHashMap<>(ctx.vars());
    m.get("vars").ifPresent(v -> vars.putAll(plainMap(v)));
    List<Step> out = new ArrayList<>();
    Placement place = new Placement(ctx.prefix(), vars, out);
    String name = request.name().asString(request.kind());
    Optional<LoadedRole> before = roles.stream().filter(r -> r.name().equals(name)).findFirst();
    if (before.isPresent()) {
      if (request.from().vars().isPresent() || request.from().defaults().isPresent()) {
        throw request
            .name()
            .error(
                "role '" + name + "' is already read: 'vars_from' and 'defaults_from' apply once",
                "give them where the role is first read (its first import_role or roles: entry)");
      }
      tasksOf(before.get(), request.from(), whens, tags, place, m.node().location());
      return out;
    }
    read(
        request.name(),
        Map.of(),
        whens,
        tags,
        request.from(),
        List.of(),
        place,
        m.node().location());
    return out;
  }

  /** Finds and reads a role, its dependencies first, and puts its steps at {@code place}. */
  private Optional<LoadedRole> read(
      YamlNode nameNode,
      Map<String, Object> entryVars,
      List<String> whens,
      List<String> tags,
      RoleImport.From from,
      List<Frame> frames,
      Placement place,
      SourceLocation at) {
    List<String> chain = frames.stream().map(Frame::name).toList();
    boolean dependency = !chain.isEmpty();
    String name = nameNode.asString("role");
    if (!Step.ID.matcher(name).matches()) {
      throw nameNode.error(
          "invalid role name '" + name + "'",
          "a role is named by its folder under roles/: lower-case letters, digits, '-', '_' or"
              + " '.' (the name prefixes its steps' ids)");
    }
    if (chain.contains(name)) {
      throw nameNode.error(
          "role '" + name + "' depends on itself: " + String.join(" -> ", chain) + " -> " + name,
          "remove the dependency that closes the cycle from meta/main.yml");
    }
    if (chain.size() > StepFiles.MAX_DEPTH) {
      throw nameNode.error(
          "roles depend on each other more than " + StepFiles.MAX_DEPTH + " deep",
          "shorten the chain of dependencies in the roles' meta/main.yml");
    }
    if (roles.stream().anyMatch(r -> r.name().equals(name))) {
      if (dependency) {
        return roles.stream().filter(r -> r.name().equals(name)).findFirst(); // runs once
      }
      throw nameNode.error(
          "role '" + name + "' is listed twice (or is a dependency of a role listed before it)",
          "list each role once; its steps would have the same checkpoint ids");
    }
    List<Path> places = new ArrayList<>();
    places.add(playbookDir.resolve("roles"));
    places.addAll(rolesPath);
    Optional<Path> found =
        places.stream().map(p -> p.resolve(name)).filter(Files::isDirectory).findFirst();
    if (found.isEmpty()) {
      throw nameNode.error(
          "role '"
              + name
              + "' not found: "
              + String.join(", ", places.stream().map(p -> p.resolve(name).toString()).toList())
              + (places.size() > 1 ? " are not folders" : " is not a folder"),
          "create roles/"
              + name
              + "/tasks/main.yml next to the playbook"
              + (rolesPath.isEmpty() ? "" : ", or in a folder of roles_path"));
    }
    Path dir = found.get();
    Map<String, Object> defaults = varsOf(dir, "defaults", from.defaults());
    Map<String, Object> ownVars = varsOf(dir, "vars", from.vars());
    Map<String, Object> vars = new LinkedHashMap<>(entryVars);
    vars.putAll(ownVars);
    List<Frame> inner = new ArrayList<>(frames);
    inner.add(new Frame(name, defaults, ownVars));
    List<LoadedRole> deps = new ArrayList<>();
    Optional<Path> meta = RoleImport.file(dir, "meta", Optional.empty());
    if (meta.isPresent()) {
      YamlNode root = YamlDocument.load(meta.get(), "role meta");
      if (!root.isNull()) {
        Optional<YamlNode> depsNode = root.asMap("role meta").get("dependencies");
        if (depsNode.isPresent() && !depsNode.get().isNull()) {
          for (YamlNode d : depsNode.get().asList("dependencies")) {
            entry(d, inner, place).ifPresent(deps::add);
          }
        }
      }
    }
    Map<String, Object> scopeDefaults = new LinkedHashMap<>();
    deps.forEach(d -> scopeDefaults.putAll(d.scopeDefaults()));
    frames.forEach(f -> scopeDefaults.putAll(f.defaults()));
    scopeDefaults.putAll(defaults);
    Map<String, Object> scopeVars = new LinkedHashMap<>();
    frames.forEach(f -> scopeVars.putAll(f.vars()));
    deps.forEach(d -> scopeVars.putAll(d.vars()));
    scopeVars.putAll(vars);
    LoadedRole role =
        new LoadedRole(
            name,
            dir,
            defaults,
            vars,
            RoleImport.file(dir, "handlers", from.handlers()).stream().toList(),
            at,
            scopeDefaults,
            scopeVars);
    roles.add(role);
    tasksOf(role, from, whens, tags, place, at);
    return Optional.of(role);
  }

  /** Puts the steps of a role's tasks file ({@code main} or {@code tasks_from}) at a place. */
  private void tasksOf(
      LoadedRole role,
      RoleImport.From from,
      List<String> whens,
      List<String> tags,
      Placement place,
      SourceLocation at) {
    Optional<Path> tasks = RoleImport.file(role.dir(), "tasks", from.tasks());
    if (tasks.isEmpty()) {
      return;
    }
    Map<String, Object> nameVars = new LinkedHashMap<>(role.defaults());
    nameVars.putAll(playVars);
    nameVars.putAll(role.vars());
    nameVars.putAll(place.vars());
    String prefix = place.prefix() + role.name() + "." + from.prefix();
    int n = placed.merge(prefix, 1, Integer::sum); // a file brought in again: ROLE.FILE-2.ID
    if (n > 1) {
      prefix = prefix.substring(0, prefix.length() - 1) + "-" + n + ".";
    }
    StepFiles.Context ctx =
        new StepFiles.Context(
            StepFiles.folder(tasks.get()),
            prefix,
            whens,
            tags,
            place.vars(),
            Optional.of(role.name()),
            List.of(),
            nameVars);
    place.sink().addAll(files.expandFile(tasks.get(), ctx, at));
  }

  /**
   * Reads the roles' handlers ({@code roles/NAME/handlers/main.yml}), in the order the roles run,
   * ids prefixed with the role's name as its steps' are, with the role's vars: Ansible puts a
   * play's roles' handlers before its own {@code handlers:} (ansible-core {@code Play.compile}).
   *
   * @param handlerFiles reads a file of handlers (steps of the {@code handlers} section)
   * @throws InputException on any problem in a handler file, at its {@code file:line:column}
   */
  List<Step> handlers(StepFiles handlerFiles) {
    List<Step> out = new ArrayList<>();
    for (LoadedRole role : roles) {
      for (Path file : role.handlerFiles()) {
        Map<String, Object> nameVars = new LinkedHashMap<>(role.defaults());
        nameVars.putAll(playVars);
        nameVars.putAll(role.vars());
        StepFiles.Context ctx =
            new StepFiles.Context(
                StepFiles.folder(file),
                role.name() + ".",
                List.of(),
                List.of(),
                Map.of(),
                Optional.of(role.name()),
                List.of(),
                nameVars);
        out.addAll(handlerFiles.expandFile(file, ctx, role.location()));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> varsOf(Path dir, String sub, Optional<YamlNode> from) {
    Optional<Path> file = RoleImport.file(dir, sub, from);
    if (file.isEmpty()) {
      return Map.of();
    }
    YamlNode root = YamlDocument.load(file.get(), "role " + sub, YamlTyping.PYYAML_1_1);
    if (root.isNull() || root.isMapping() && root.asMap(sub).entries().isEmpty()) {
      return Map.of();
    }
    root.asMap("role " + sub);
    return (Map<String, Object>) root.toPlain(sub);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plainMap(YamlNode v) {
    v.asMap("vars");
    return (Map<String, Object>) v.toPlain("vars");
  }
}
