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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the migration report of an Ansible playbook tree ({@link MigrationReport}): unlike a load,
 * which stops at the first thing we do not run, it reads on and judges every play, role, task file,
 * block, task and handler on its own, with the same rules and messages as the load ({@link
 * AnsibleTasks}, {@link AnsibleModules} and the step reader of {@link PlaybookLoader}), so that
 * what it calls unsupported is exactly what a run refuses. A whole load is tried too, and its error
 * is added where no part explains it (a rule about the whole playbook, such as a handler nobody
 * notifies), so that a report with nothing unsupported means that {@code run} reads the playbook.
 */
public final class AnsibleMigration {
  private final List<Path> rolesPath;
  private final List<Item> items = new ArrayList<>();
  private Path playbookDir = Path.of(".");
  private MigrationTasks tasks;

  private AnsibleMigration(List<Path> rolesPath) {
    this.rolesPath = List.copyOf(rolesPath);
  }

  /**
   * The report of a playbook tree.
   *
   * @param file an Ansible playbook (a YAML list of plays)
   * @param rolesPath where roles are looked for after the playbook's own {@code roles/} (Ansible's
   *     {@code roles_path})
   * @return every part judged, in reading order
   * @throws InputException when the file cannot be read at all, or is not a list of plays (our own
   *     format: {@code validate} without the report checks it)
   */
  public static MigrationReport of(Path file, List<Path> rolesPath) {
    AnsibleMigration m = new AnsibleMigration(rolesPath);
    YamlNode root = YamlDocument.load(file, "playbook", YamlTyping.PYYAML_1_1);
    if (!root.isSequence()) {
      throw root.error(
          "not an Ansible playbook (a YAML list of plays)",
          "orchestrator's own playbooks (a mapping) are checked by 'orchestrator validate "
              + file
              + " -i INVENTORY'");
    }
    m.playbookDir =
        java.util.Objects.requireNonNullElse(file.toAbsolutePath().getParent(), Path.of("."));
    m.tasks = new MigrationTasks(new PlaybookLoader(rolesPath), m.playbookDir, m.items);
    m.plays(root, new LinkedHashSet<>(List.of(file.toAbsolutePath().normalize())));
    m.wholeLoad(file);
    return new MigrationReport(file, m.items);
  }

  private void plays(YamlNode root, Set<Path> chain) {
    for (YamlNode p : root.asList("the playbook")) {
      if (!p.isMapping()) {
        tasks.add(Kind.PLAY, 0, "?", "", Support.UNSUPPORTED, "a play is a mapping", p);
        continue;
      }
      YamlMap m = p.asMap("a play");
      Optional<YamlMap.Entry> imported =
          m.entry("import_playbook").or(() -> m.entry("ansible.builtin.import_playbook"));
      if (imported.isPresent()) {
        importPlaybook(imported.get(), chain);
      } else {
        play(p, m);
      }
    }
  }

  private void importPlaybook(YamlMap.Entry e, Set<Path> chain) {
    String name = e.value().isScalar() ? e.value().asString("import_playbook") : "?";
    Path file = e.key().file().toAbsolutePath().getParent().resolve(name).normalize();
    if (name.contains("{{") || !Files.isRegularFile(file)) {
      tasks.add(
          Kind.IMPORT_PLAYBOOK,
          0,
          name,
          "",
          Support.UNSUPPORTED,
          name.contains("{{")
              ? "the file name is a template: orchestrator reads imported playbooks when it loads"
              : "the file " + file + " does not exist",
          e.key());
      return;
    }
    if (chain.contains(file)) {
      tasks.add(
          Kind.IMPORT_PLAYBOOK,
          0,
          name,
          "",
          Support.UNSUPPORTED,
          "imports itself through " + chain.stream().map(p -> p.getFileName().toString()).toList(),
          e.key());
      return;
    }
    tasks.add(Kind.IMPORT_PLAYBOOK, 0, name, "", Support.SUPPORTED, "", e.key());
    YamlNode root;
    try {
      root = YamlDocument.load(file, "playbook", YamlTyping.PYYAML_1_1);
      root.asList("the imported playbook");
    } catch (InputException x) {
      tasks.add(Kind.PLAYBOOK, 0, name, "", Support.UNSUPPORTED, MigrationTasks.reason(x), e.key());
      return;
    }
    Set<Path> inner = new LinkedHashSet<>(chain);
    inner.add(file);
    plays(root, inner);
  }

  private void play(YamlNode p, YamlMap m) {
    String label =
        m.string("name")
            .orElse(
                "hosts: "
                    + m.get("hosts")
                        .map(
                            h ->
                                h.isSequence()
                                    ? h.toPlain("hosts").toString()
                                    : h.asString("hosts"))
                        .orElse("?"));
    boolean budget = m.has("max_fail_percentage");
    tasks.add(
        Kind.PLAY,
        0,
        label,
        "",
        budget ? Support.SUPPORTED : Support.MAPPED,
        budget
            ? ""
            : "a stage with max_fail_percentage 99: a failed host pauses, the others go on (Ansible"
                + " leaves it out of the rest of the play)",
        p);
    for (YamlMap.Entry e : m.entries()) {
      if (AnsiblePlays.REFUSED.containsKey(e.name())) {
        tasks.add(
            Kind.KEYWORD,
            1,
            e.name(),
            "",
            Support.UNSUPPORTED,
            "the play keyword '"
                + e.name()
                + "' is not supported: "
                + AnsiblePlays.REFUSED.get(e.name()),
            e.key());
      } else if (!AnsiblePlays.KEYS.contains(e.name())) {
        tasks.add(
            Kind.KEYWORD, 1, e.name(), "", Support.UNSUPPORTED, "unknown play keyword", e.key());
      }
    }
    BatchPause.of(m)
        .ifPresent(
            b ->
                tasks.add(
                    Kind.KEYWORD,
                    1,
                    "pause (the play's last task)",
                    "pause",
                    Support.MAPPED,
                    "the stage's batch gate: it stands between batches, not after the last one",
                    p));
    m.get("pre_tasks").ifPresent(t -> tasks.tasks(t, 1, false));
    m.get("roles").ifPresent(r -> roles(r, 1, new ArrayList<>()));
    m.get("tasks").ifPresent(t -> tasks.tasks(t, 1, false));
    m.get("post_tasks").ifPresent(t -> tasks.tasks(t, 1, false));
    m.get("handlers").ifPresent(t -> tasks.tasks(t, 1, true));
  }

  private void roles(YamlNode list, int depth, List<String> chain) {
    if (list.isNull()) {
      return;
    }
    for (YamlNode r : list.asList("roles")) {
      Optional<YamlNode> nameNode =
          r.isMapping()
              ? r.asMap("a role").get("role").or(() -> r.asMap("a role").get("name"))
              : Optional.of(r);
      String name = nameNode.filter(YamlNode::isScalar).map(n -> n.asString("role")).orElse("?");
      List<Path> places = new ArrayList<>();
      places.add(playbookDir.resolve("roles"));
      places.addAll(rolesPath);
      Optional<Path> dir =
          places.stream().map(p -> p.resolve(name)).filter(Files::isDirectory).findFirst();
      if (dir.isEmpty() || name.contains("/") || name.contains("{{")) {
        tasks.add(
            Kind.ROLE,
            depth,
            name,
            "",
            Support.UNSUPPORTED,
            "role '" + name + "' not found in " + places + " (roles are named by their folder)",
            r);
        continue;
      }
      if (chain.contains(name)) {
        continue; // a dependency cycle: the load names it
      }
      tasks.add(Kind.ROLE, depth, name, "", Support.SUPPORTED, "", r);
      List<String> inner = new ArrayList<>(chain);
      inner.add(name);
      main(dir.get(), "meta")
          .flatMap(f -> tasks.load(f, depth + 1))
          .filter(YamlNode::isMapping)
          .flatMap(n -> n.asMap("role meta").get("dependencies"))
          .ifPresent(d -> roles(d, depth + 1, inner));
      main(dir.get(), "tasks")
          .flatMap(f -> tasks.load(f, depth + 1))
          .ifPresent(t -> tasks.tasks(t, depth + 1, false));
      main(dir.get(), "handlers")
          .flatMap(f -> tasks.load(f, depth + 1))
          .ifPresent(t -> tasks.tasks(t, depth + 1, true));
    }
  }

  private static Optional<Path> main(Path role, String sub) {
    return java.util.stream.Stream.of("main.yml", "main.yaml")
        .map(f -> role.resolve(sub).resolve(f))
        .filter(Files::isRegularFile)
        .findFirst();
  }

  /** Adds the whole load's error where no part of the report explains it already. */
  private void wholeLoad(Path file) {
    try {
      new PlaybookLoader(rolesPath).load(file);
    } catch (InputException x) {
      Optional<String> at = location(x.getMessage());
      for (int i = 0; i < items.size(); i++) {
        Item it = items.get(i);
        if (it.support() == Support.UNSUPPORTED
            && at.isPresent()
            && at.equals(location(it.reason()))) {
          return; // the part's own check said it
        }
      }
      for (int i = 0; i < items.size(); i++) {
        Item it = items.get(i);
        if (at.isPresent() && at.get().equals(it.where())) {
          items.set(
              i,
              new Item(
                  it.kind(),
                  it.depth(),
                  it.label(),
                  it.module(),
                  Support.UNSUPPORTED,
                  MigrationTasks.reason(x),
                  it.where()));
          return;
        }
      }
      tasks.add(
          Kind.PLAYBOOK,
          0,
          file.getFileName().toString(),
          "",
          Support.UNSUPPORTED,
          MigrationTasks.reason(x),
          null);
    }
  }

  /** The {@code file:line:column} an error message starts with. */
  private static Optional<String> location(String message) {
    java.util.regex.Matcher m = LOCATION.matcher(message);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static final java.util.regex.Pattern LOCATION =
      java.util.regex.Pattern.compile("^(.+?:\\d+:\\d+): ");
}
