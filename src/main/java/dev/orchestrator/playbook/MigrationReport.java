package dev.orchestrator.playbook;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What orchestrator makes of every part of an Ansible playbook tree ({@code orchestrator validate
 * PLAYBOOK --ansible-report}): each play, role, task file, block, task and handler, in the order
 * Ansible reads them, as {@link Support#SUPPORTED}, {@link Support#MAPPED} or {@link
 * Support#UNSUPPORTED}, with why. Built by {@link AnsibleMigration}; rendered by the report layer.
 *
 * @param playbook the playbook file the report is about
 * @param items every part, in reading order (a part's children follow it, one level deeper)
 */
public record MigrationReport(Path playbook, List<Item> items) {
  /** Validates the fields. */
  public MigrationReport {
    Objects.requireNonNull(playbook, "playbook");
    items = List.copyOf(items);
  }

  /** What a part is. */
  public enum Kind {
    /** The playbook file itself (a whole-file problem, such as YAML that does not parse). */
    PLAYBOOK,
    /** A play. */
    PLAY,
    /** An {@code import_playbook} entry. */
    IMPORT_PLAYBOOK,
    /** A role of a play's {@code roles:} or a role's {@code meta/main.yml} dependency. */
    ROLE,
    /** An {@code import_tasks}/{@code include_tasks}/{@code include} of a task file. */
    TASK_FILE,
    /** A {@code block} with its {@code rescue}/{@code always}. */
    BLOCK,
    /** A task. */
    TASK,
    /** A handler. */
    HANDLER,
    /** A play keyword. */
    KEYWORD
  }

  /** How orchestrator runs a part. */
  public enum Support {
    /** Read and run as Ansible reads and runs it. */
    SUPPORTED,
    /**
     * Read and run, translated into our model in a way worth knowing (the reason says how, and the
     * README "Ansible playbooks" says where it differs).
     */
    MAPPED,
    /** Refused: the playbook does not run until it is changed (the reason says what to write). */
    UNSUPPORTED
  }

  /**
   * One part.
   *
   * @param kind what it is
   * @param depth how deep in the tree (0 for plays and whole-file items)
   * @param label its name as the playbook writes it (a task's name, else its module)
   * @param module the module a task or handler runs, as written ({@code ""} for other parts)
   * @param support how it is run
   * @param reason why (empty for a part supported as is)
   * @param where {@code file:line:column} of the part
   */
  public record Item(
      Kind kind,
      int depth,
      String label,
      String module,
      Support support,
      String reason,
      String where) {
    /** Validates the fields. */
    public Item {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(module, "module");
      Objects.requireNonNull(support, "support");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(where, "where");
      if (depth < 0) {
        throw new IllegalArgumentException("depth must be at least 0: " + depth);
      }
    }
  }

  /** How many parts of each support, every support present (possibly 0). */
  public Map<Support, Long> counts() {
    Map<Support, Long> out = new EnumMap<>(Support.class);
    for (Support s : Support.values()) {
      out.put(s, 0L);
    }
    items.forEach(i -> out.merge(i.support(), 1L, Long::sum));
    return out;
  }

  /** Whether nothing is unsupported: the playbook runs as it is. */
  public boolean runsUnchanged() {
    return items.stream().noneMatch(i -> i.support() == Support.UNSUPPORTED);
  }
}
