package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate PLAYBOOK --ansible-report}: the migration report of an Ansible playbook, with no
 * inventory, its exit code telling whether the playbook runs unchanged.
 */
class AnsibleReportCliTest {
  @TempDir Path dir;

  @Test
  void aPlaybookWithAnUnsupportedModuleIsReportedWholeAndExitsTwo() throws IOException {
    // given an Ansible playbook with a module we do not run between two we do
    Path pb =
        Files.writeString(
            dir.resolve("site.yml"),
            "- hosts: web\n  tasks:\n    - name: one\n      command: echo 1\n"
                + "    - name: two\n      community.mysql.mysql_db: name=app\n"
                + "    - name: three\n      ansible.builtin.command: echo 3\n");
    // when its report is asked for, without an inventory
    Cli.Result r = Cli.run("validate", pb.toString(), "--ansible-report");
    // then every task is listed with its verdict, the summary counts them, and the exit code is 2
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("1 play, 0 roles, 3 tasks, 0 handlers"), r.out());
    assertTrue(r.out().contains("task one (command) — supported"), r.out());
    assertTrue(r.out().contains("task two (community.mysql.mysql_db) — unsupported: "), r.out());
    assertTrue(r.out().contains("task three (ansible.builtin.command) — supported"), r.out());
    assertTrue(r.out().contains("  command: 2 / 0"), r.out());
    assertTrue(r.out().contains("  community.mysql.mysql_db: 0 / 1"), r.out());
  }

  @Test
  void aPlaybookThatRunsUnchangedExitsZeroAndAHostileNameIsShownEscaped() throws IOException {
    // given a supported playbook whose task name holds a terminal escape
    Path pb =
        Files.writeString(
            dir.resolve("site.yml"),
            "- hosts: web\n  max_fail_percentage: 0\n  tasks:\n"
                + "    - name: \"clear\\e[2Jscreen\"\n      command: echo 1\n");
    // when its report is asked for
    Cli.Result r = Cli.run("validate", pb.toString(), "--ansible-report");
    // then it runs unchanged (0), and the escape is printed as text
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("runs it unchanged"), r.out());
    assertFalse(r.out().contains("\u001b"), r.out());
    assertTrue(r.out().contains("clear\\u001b[2Jscreen"), r.out());
  }
}
