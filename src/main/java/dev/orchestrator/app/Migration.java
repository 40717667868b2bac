package dev.orchestrator.app;

import dev.orchestrator.playbook.AnsibleMigration;
import dev.orchestrator.playbook.MigrationReport;
import java.nio.file.Path;

/**
 * {@code validate PLAYBOOK --ansible-report}: the migration report of an Ansible playbook tree
 * ({@link AnsibleMigration}), roles looked for in Ansible's {@code roles_path} too, as a run looks
 * for them. No inventory is read, nothing is connected to or written.
 */
public final class Migration {
  private Migration() {}

  /**
   * The report of a playbook tree.
   *
   * @param playbook an Ansible playbook (a YAML list of plays)
   * @return every play, role, task file, block, task and handler judged
   * @throws dev.orchestrator.common.InputException when the file cannot be read, or is in our own
   *     format
   */
  public static MigrationReport of(Path playbook) {
    return AnsibleMigration.of(playbook, AnsibleConfig.current().rolesPath());
  }
}
