package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code import_role:} or {@code include_role:} entry of a step list: the role's name and which
 * of its files to read, after ansible-core 2.14's {@code playbook/role_include.py} ({@code
 * IncludeRole.load}: {@code name}, {@code tasks_from}, {@code vars_from}, {@code defaults_from},
 * {@code handlers_from}, {@code public}; a {@code *_from} value is a file's base name in the role's
 * folder of that kind) and the guide
 * https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_reuse.html. Both are read when
 * the playbook loads ({@link RoleLoader#imported}), as {@code import_role} is; a templated name or
 * file name, which {@code include_role} would render when the task runs, is refused.
 *
 * @param kind {@code import_role} or {@code include_role}
 * @param name the node of the role's name
 * @param from which files of the role to read
 */
record RoleImport(String kind, YamlNode name, From from) {
  /** The arguments ansible-core's {@code IncludeRole} takes that we read. */
  static final Set<String> ARGS =
      Set.of(
          "name",
          "tasks_from",
          "vars_from",
          "defaults_from",
          "handlers_from",
          "public",
          "apply",
          "allow_duplicates",
          "rolespec_validate");

  /** Validates the fields. */
  RoleImport {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(from, "from");
  }

  /**
   * The files of a role to read instead of its {@code main.yml}, each given by name (its node).
   *
   * @param tasks {@code tasks_from}
   * @param vars {@code vars_from}
   * @param defaults {@code defaults_from}
   * @param handlers {@code handlers_from}
   */
  record From(
      Optional<YamlNode> tasks,
      Optional<YamlNode> vars,
      Optional<YamlNode> defaults,
      Optional<YamlNode> handlers) {
    /** Every {@code main.yml}: a {@code roles:} entry. */
    static final From MAIN =
        new From(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Validates the fields. */
    From {
      Objects.requireNonNull(tasks, "tasks");
      Objects.requireNonNull(vars, "vars");
      Objects.requireNonNull(defaults, "defaults");
      Objects.requireNonNull(handlers, "handlers");
    }

    /**
     * What the steps' ids get after {@code ROLE.}: {@code FILE.} for a {@code tasks_from} other
     * than {@code main}, so that two task files of one role may have steps of the same name.
     */
    String prefix() {
      return tasks
          .map(t -> base(t.asString("tasks_from")).replaceFirst("\\.ya?ml$", ""))
          .filter(b -> !b.equals("main"))
          .map(b -> b + ".")
          .orElse("");
    }
  }

  /** The keys that name an entry's role: {@code import_role}, {@code include_role}. */
  static final Set<String> KINDS = Set.of("import_role", "include_role");

  /** The keys of an {@code import_role}/{@code include_role} entry of a step list. */
  static final Set<String> ENTRY_KEYS =
      Set.of("import_role", "include_role", "name", "vars", "when", "tags");

  /** Returns whether a step list's entry brings a role's steps in. */
  static boolean isEntry(YamlMap m) {
    return RoleImport.KINDS.stream().anyMatch(m::has);
  }

  /**
   * Checks an entry's keys and depth before the role is read.
   *
   * @param depth how many files include the entry's file
   */
  static YamlMap checked(YamlNode n, int depth) {
    YamlMap m = n.asMap("an include").allowOnly(ENTRY_KEYS);
    if (depth > StepFiles.MAX_DEPTH) {
      throw n.error(
          "roles and step files include each other more than " + StepFiles.MAX_DEPTH + " deep",
          "include them from fewer levels");
    }
    return m;
  }

  /** Refuses an entry where no role may be read ({@code rollback:}, {@code handlers:}). */
  static List<Step> notHere(YamlMap m, StepFiles.Context ctx) {
    throw m.node()
        .error(
            "'import_role'/'include_role' is for 'steps' (and the steps of roles and step files)",
            "list the role under 'roles:'");
  }

  /**
   * {@code import_role}/{@code include_role} becomes our entry of the same name ({@link
   * RoleImport}), with its {@code when}, {@code tags} and {@code vars}; a loop, which needs
   * Ansible's dynamic include, and other keywords are refused.
   */
  static YamlNode entry(
      YamlNode n, YamlMap m, AnsibleModules.Action action, List<YamlMap.Entry> keywords) {
    List<Map.Entry<YamlNode, YamlNode>> out = new ArrayList<>();
    out.add(
        new AbstractMap.SimpleEntry<>(
            YamlNodes.scalar(action.at(), action.module()), action.args()));
    for (YamlMap.Entry e : keywords) {
      String k = e.name();
      if (k.equals("loop") || k.equals("with_items") || k.startsWith("with_")) {
        throw e.key()
            .error(
                "a loop on '"
                    + action.module()
                    + "' is not supported: roles are read when the"
                    + " playbook loads",
                "loop inside the role's tasks over a variable the entry's vars: set");
      }
      if (!Set.of("name", "when", "tags").contains(k)) {
        throw e.key()
            .error(
                "'" + k + "' on '" + action.module() + "' is not supported",
                "put it on the role's tasks");
      }
      if (!k.equals("name")) {
        out.add(new AbstractMap.SimpleEntry<>(e.key(), e.value()));
      }
    }
    m.entry("vars").ifPresent(v -> out.add(new AbstractMap.SimpleEntry<>(v.key(), v.value())));
    return YamlNodes.mapping(n, out);
  }

  /**
   * Reads an entry's {@code import_role}/{@code include_role} mapping.
   *
   * @throws InputException at the argument that is wrong, saying what to write instead
   */
  static RoleImport read(YamlMap entry) {
    if (entry.has("import_role") && entry.has("include_role")) {
      throw entry
          .node()
          .error(
              "an entry has both 'import_role' and 'include_role'",
              "write one of them per entry (both read the role when the playbook loads)");
    }
    String kind = entry.has("import_role") ? "import_role" : "include_role";
    YamlNode value = entry.require(kind);
    if (!value.isMapping()) {
      throw value.error(
          "'" + kind + "' takes a mapping of arguments", "write e.g. '" + kind + ": {name: web}'");
    }
    YamlMap m = value.asMap(kind).allowOnly(ARGS);
    YamlNode name = m.require("name");
    literal(name, kind, "name");
    if (!Step.ID.matcher(name.asString("name")).matches()) {
      throw name.error(
          "invalid role name '" + name.asString("name") + "'",
          "a role is named by its folder under roles/: lower-case letters, digits, '-', '_' or"
              + " '.' (no collections)");
    }
    if (m.has("apply")) {
      throw m.entry("apply")
          .orElseThrow()
          .key()
          .error(
              "'apply' on '" + kind + "' is not supported by orchestrator",
              "set the keywords on the role's tasks, or use when: and tags: on the entry (they"
                  + " apply to each of the role's steps)");
    }
    for (String k : List.of("allow_duplicates", "rolespec_validate")) {
      if (m.has(k)) {
        throw m.entry(k)
            .orElseThrow()
            .key()
            .error(
                "'" + k + "' on '" + kind + "' is not supported by orchestrator",
                k.equals("allow_duplicates")
                    ? "remove it: a role's task file is read once per entry"
                    : "remove it: we do not check meta/argument_specs.yml");
      }
    }
    if (m.has("public")) {
      YamlNode p = m.require("public");
      if (kind.equals("import_role")) {
        throw p.error(
            "'public' is not an option of import_role (ansible-core refuses it too)",
            "remove it: an imported role's variables are visible to the play");
      }
      if (!p.isScalar() || !Set.of("true", "false").contains(p.asString("public"))) {
        throw p.error("'public' must be true or false", "write public: true");
      }
    }
    return new RoleImport(
        kind,
        name,
        new From(
            fromFile(m, kind, "tasks_from"),
            fromFile(m, kind, "vars_from"),
            fromFile(m, kind, "defaults_from"),
            fromFile(m, kind, "handlers_from")));
  }

  private static Optional<YamlNode> fromFile(YamlMap m, String kind, String key) {
    Optional<YamlNode> node = m.get(key);
    node.ifPresent(
        n -> {
          literal(n, kind, key);
          String file = base(n.asString(key));
          if (file.isBlank() || file.equals(".") || file.equals("..")) {
            throw n.error("'" + key + "' names no file", "write a file's name, e.g. install");
          }
        });
    return node;
  }

  private static void literal(YamlNode n, String kind, String key) {
    if (TemplateEngine.isTemplate(n.asString(key))) {
      throw n.error(
          "'" + key + "' of '" + kind + "' is a template: roles are read when the playbook loads",
          "write the name itself; to choose between roles, write one entry per role, each with"
              + " its when:");
    }
  }

  /** The base name of a {@code *_from} value, as ansible-core's {@code basename} takes it. */
  private static String base(String value) {
    return value.replaceAll(".*/", "");
  }

  /**
   * A role's file of one kind: {@code DIR/SUB/main.yml} (or {@code main.yaml}) without {@code
   * from}, else the file {@code from} names in {@code DIR/SUB/}, as given or with {@code .yml} or
   * {@code .yaml} added (ansible-core {@code Role._load_role_yaml}).
   *
   * @return the file, or empty for a missing {@code main}
   * @throws InputException when the file {@code from} names does not exist
   */
  static Optional<Path> file(Path dir, String sub, Optional<YamlNode> from) {
    String name = from.map(f -> base(f.asString(sub + "_from"))).orElse("main");
    List<String> tries =
        from.isPresent() && name.matches(".*\\.ya?ml$")
            ? List.of(name)
            : List.of(name + ".yml", name + ".yaml");
    for (String f : tries) {
      Path p = dir.resolve(sub).resolve(f);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    if (from.isPresent()) {
      throw from.get()
          .error(
              "no file " + String.join(" or ", tries) + " in " + dir.resolve(sub),
              "name a file of the role's " + sub + "/ folder");
    }
    return Optional.empty();
  }
}
