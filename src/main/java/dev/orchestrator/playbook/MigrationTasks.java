package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.playbook.MigrationReport.Item;
import dev.orchestrator.playbook.MigrationReport.Kind;
import dev.orchestrator.playbook.MigrationReport.Support;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlTyping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tasks, blocks, task files and handlers of a migration report ({@link AnsibleMigration}): each
 * task rewritten by {@link AnsibleTasks} and its step checked by the loader's step reader ({@link
 * PlaybookLoader#checkStep}), so that a task is unsupported exactly when a load refuses it, with
 * the load's message.
 */
final class MigrationTasks {
  private final PlaybookLoader loader;
  private final Path playbookDir;
  private final List<Item> items;
  private final Set<Path> filesSeen = new HashSet<>();

  /**
   * A judge of tasks adding its items to {@code items}.
   *
   * @param loader the loader whose step reader judges each task
   * @param playbookDir the playbook's folder
   * @param items where the items go, in reading order
   */
  MigrationTasks(PlaybookLoader loader, Path playbookDir, List<Item> items) {
    this.loader = loader;
    this.playbookDir = playbookDir;
    this.items = items;
  }

  /** A task file's tasks, or empty (an unreadable file is an unsupported item). */
  Optional<YamlNode> load(Path file, int depth) {
    try {
      YamlNode n = YamlDocument.load(file, "tasks", YamlTyping.PYYAML_1_1);
      return n.isNull() ? Optional.empty() : Optional.of(n);
    } catch (InputException x) {
      add(
          Kind.TASK_FILE,
          depth,
          file.getFileName().toString(),
          "",
          Support.UNSUPPORTED,
          reason(x),
          null);
      return Optional.empty();
    }
  }

  /** Judges a list of tasks (or handlers). */
  void tasks(YamlNode list, int depth, boolean handlers) {
    if (list.isNull()) {
      return;
    }
    if (!list.isSequence()) {
      add(Kind.TASK, depth, "?", "", Support.UNSUPPORTED, "a list of tasks is expected here", list);
      return;
    }
    for (YamlNode n : list.asList("tasks")) {
      task(n, depth, handlers);
    }
  }

  private void task(YamlNode n, int depth, boolean handler) {
    Kind kind = handler ? Kind.HANDLER : Kind.TASK;
    if (!n.isMapping()) {
      add(kind, depth, "?", "", Support.UNSUPPORTED, "a task is a mapping", n);
      return;
    }
    YamlMap m = n.asMap("a task");
    if (m.has("block")) {
      block(n, m, depth, handler);
      return;
    }
    String module = moduleOf(m);
    String label = m.string("name").orElse(module);
    AnsibleTasks reader =
        new AnsibleTasks(
            AnsibleTasks.Inherited.NONE, handler, new HashSet<>(PlaybookLoader.ACTION_KEYS));
    YamlNode step;
    try {
      step = reader.task(n);
    } catch (InputException x) {
      add(kind, depth, label, module, Support.UNSUPPORTED, reason(x), n);
      return;
    }
    YamlMap s = step.asMap("a step");
    if (s.has("import_steps") || s.has("include_steps")) {
      include(n, s, label, module, depth);
      return;
    }
    if (RoleImport.KINDS.stream().anyMatch(s::has)) {
      roleEntry(n, s, label, module, depth);
      return;
    }
    YamlNode inner = s.has("block") ? s.require("block").asList("block").get(0) : step;
    try {
      loader.checkStep(playbookDir, inner, handler);
    } catch (InputException x) {
      add(kind, depth, label, module, Support.UNSUPPORTED, reason(x), n);
      return;
    }
    List<String> mapped = new ArrayList<>();
    if (m.has("local_action")) {
      mapped.add("local_action runs as delegate_to: localhost");
    }
    if (m.has("with_list") || m.has("with_dict")) {
      mapped.add("with_list/with_dict read as loop");
    }
    if (m.has("vars")) {
      mapped.add("its vars are carried by a block around it");
    }
    if (m.has("check_mode")) {
      mapped.add(AnsibleCheckMode.note(m));
    }
    add(
        kind,
        depth,
        label,
        module,
        mapped.isEmpty() ? Support.SUPPORTED : Support.MAPPED,
        String.join("; ", mapped),
        n);
  }

  private void block(YamlNode n, YamlMap m, int depth, boolean handler) {
    List<String> refused = new ArrayList<>();
    for (YamlMap.Entry e : m.entries()) {
      if (!AnsibleTasks.BLOCK_SAME.contains(e.name())
          && !Set.of("rescue", "always").contains(e.name())) {
        refused.add(
            "the block keyword '"
                + e.name()
                + "' is not supported: "
                + AnsibleTasks.REFUSED.getOrDefault(e.name(), "set it on each task of the block"));
      }
    }
    add(
        Kind.BLOCK,
        depth,
        m.string("name").orElse("block"),
        "",
        refused.isEmpty() ? Support.SUPPORTED : Support.UNSUPPORTED,
        String.join("; ", refused),
        n);
    for (String part : List.of("block", "rescue", "always")) {
      m.get(part).ifPresent(t -> tasks(t, depth + 1, handler));
    }
  }

  private void include(YamlNode n, YamlMap s, String label, String module, int depth) {
    String key = s.has("import_steps") ? "import_steps" : "include_steps";
    YamlNode fileNode = s.require(key);
    String name = fileNode.asString(key);
    boolean dynamic = key.equals("include_steps");
    String why =
        (module.equals("include") ? "the old 'include', read as include_tasks; " : "")
            + (dynamic
                ? "read when the playbook loads, not when the task runs (its file name may use the"
                    + " play's vars, not facts or registered values)"
                : "");
    if (name.contains("{{")) {
      add(
          Kind.TASK_FILE,
          depth,
          label,
          module,
          Support.MAPPED,
          why
              + "; its file name is a template, rendered with the play's vars: its tasks are judged by the whole load",
          n);
      return;
    }
    Path file = n.file().toAbsolutePath().getParent().resolve(name).normalize();
    if (!Files.isRegularFile(file)) {
      add(
          Kind.TASK_FILE,
          depth,
          label,
          module,
          Support.UNSUPPORTED,
          "the file " + file + " does not exist",
          n);
      return;
    }
    add(
        Kind.TASK_FILE,
        depth,
        label,
        module,
        why.isEmpty() ? Support.SUPPORTED : Support.MAPPED,
        why,
        n);
    if (filesSeen.add(file)) {
      load(file, depth + 1).ifPresent(t -> tasks(t, depth + 1, false));
    }
  }

  /**
   * An {@code import_role}/{@code include_role} task: its arguments judged ({@link RoleImport});
   * the role's own tasks are judged by the whole load ({@link AnsibleMigration}), which reads them.
   */
  private void roleEntry(YamlNode n, YamlMap s, String label, String module, int depth) {
    RoleImport request;
    try {
      request = RoleImport.read(s);
    } catch (InputException x) {
      add(Kind.ROLE, depth, label, module, Support.UNSUPPORTED, reason(x), n);
      return;
    }
    boolean include = request.kind().equals("include_role");
    add(
        Kind.ROLE,
        depth,
        label,
        module,
        include ? Support.MAPPED : Support.SUPPORTED,
        include
            ? "read when the playbook loads, as import_role (its when: is checked per step)"
            : "",
        n);
  }

  /** The module a task names, as written (its one key that is no keyword). */
  private static String moduleOf(YamlMap m) {
    for (YamlMap.Entry e : m.entries()) {
      String k = e.name();
      if (k.equals("action") || k.equals("local_action")) {
        return e.value().isMapping()
            ? e.value().asMap(k).string("module").orElse(k)
            : e.value().asString(k).strip().split("\\s+", 2)[0];
      }
      if (!AnsibleTasks.SAME.contains(k)
          && !AnsibleTasks.REFUSED.containsKey(k)
          && !Set.of("args", "vars", "listen").contains(k)
          && !k.startsWith("with_")) {
        return k;
      }
    }
    return "?";
  }

  /**
   * The error's message, and its hint when short (a long one lists alternatives, such as every
   * module we run, which the report's module summary says anyway).
   */
  static String reason(InputException x) {
    String hint = x.hint();
    return x.getMessage()
        + (hint == null || hint.isBlank() || hint.length() > MAX_HINT ? "" : " (" + hint + ")");
  }

  private static final int MAX_HINT = 160;

  /** Adds an item. */
  void add(
      Kind kind,
      int depth,
      String label,
      String module,
      Support support,
      String reason,
      YamlNode at) {
    items.add(
        new Item(
            kind,
            depth,
            label,
            module,
            support,
            reason,
            at == null ? "" : at.location().toString()));
  }
}
