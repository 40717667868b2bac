package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import_role}/{@code include_role} in an Ansible play (ansible-core {@code
 * playbook/role_include.py};
 * https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_reuse.html): the role's steps in
 * place of the task, its vars scoped as for {@code roles:}, its handlers once.
 */
class AnsibleRoleImportTest {
  @TempDir Path dir;

  private void write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private Playbook load(String play) throws IOException {
    write("site.yml", play);
    return new PlaybookLoader().load(dir.resolve("site.yml"));
  }

  private void web() throws IOException {
    write(
        "roles/web/tasks/main.yml",
        "- name: Install\n  shell: echo {{ port }}\n  notify: restart\n");
    write("roles/web/tasks/configure.yml", "- name: Configure\n  shell: echo conf\n");
    write("roles/web/defaults/main.yml", "port: 80\n");
    write("roles/web/vars/other.yml", "port: 8080\n");
    write("roles/web/handlers/main.yml", "- name: restart\n  shell: echo restart\n");
  }

  @Test
  void importRoleInsertsTheRolesStepsAtTheTasksPositionWithItsWhenAndTags() throws IOException {
    // given a play whose second task imports the role web, with when and tags
    web();
    // when the play loads
    Playbook pb =
        load(
            "- hosts: all\n  tasks:\n    - name: Before\n      shell: echo before\n"
                + "    - ansible.builtin.import_role:\n        name: web\n"
                + "      when: go\n      tags: [w]\n"
                + "    - name: After\n      shell: echo after\n");
    // then the role's step is between the two tasks, prefixed by its name, with when and tags
    List<String> ids = pb.steps().stream().map(Step::id).toList();
    assertEquals("before", ids.get(0));
    assertEquals("web.install", ids.get(1));
    assertEquals("after", ids.get(2));
    Step install = pb.steps().get(1);
    assertEquals(Optional.of("go"), install.when());
    assertTrue(install.traits().tags().contains("w"));
    // and its scope is the role (its defaults), its handler registered once
    assertEquals(Optional.of("web"), pb.reuse().scope(install).role());
    assertEquals("{port=80}", pb.reuse().roles().get(0).defaults().toString());
    assertEquals(1, pb.handlers().stream().filter(h -> h.id().equals("web.restart")).count());
  }

  @Test
  void includeRoleWithTasksFromAndVarsFromReadsThoseFiles() throws IOException {
    // given include_role twice: main with vars_from, then tasks_from configure (k=v form)
    web();
    // when the play loads
    Playbook pb =
        load(
            "- hosts: all\n  tasks:\n"
                + "    - include_role:\n        name: web\n        vars_from: other\n"
                + "    - include_role: name=web tasks_from=configure.yml\n");
    // then both files' steps are in place, the second prefixed by its file's name
    assertEquals(
        List.of("web.install", "web.configure.configure"),
        pb.steps().stream().map(Step::id).toList());
    assertEquals("{port=8080}", pb.reuse().roles().get(0).vars().toString());
    assertEquals(1, pb.reuse().roles().size());
  }

  @Test
  void whatIsDecidedWhenAnsibleRunsTheTaskIsRefusedAtLoad() throws IOException {
    // given include_role entries we cannot read at load
    web();
    // when they load, then each is refused at its position with what to write instead
    assertRefused(
        "    - include_role:\n        name: \"{{ which }}\"\n",
        "is a template",
        "one entry per role");
    assertRefused(
        "    - include_role:\n        name: web\n      loop: [1, 2]\n",
        "a loop on 'include_role'",
        "loop inside the role's tasks");
    assertRefused(
        "    - include_role:\n        name: web\n        apply:\n          tags: [x]\n",
        "'apply' on 'include_role'",
        "set the keywords on the role's tasks");
    assertRefused(
        "    - import_role:\n        name: web\n        public: true\n",
        "'public' is not an option of import_role",
        "remove it");
    assertRefused(
        "    - import_role:\n        name: web\n        tasks_from: nope\n",
        "no file nope.yml or nope.yaml",
        "tasks/ folder");
    assertRefused(
        "    - import_role:\n        name: absent\n", "role 'absent' not found", "roles/absent");
  }

  @Test
  void theMigrationReportJudgesRoleImportsAsARunReadsThem() throws IOException {
    // given a play importing and including the role web, and one include_role with apply
    web();
    write(
        "site.yml",
        "- hosts: all\n  tasks:\n    - name: Web\n      import_role:\n        name: web\n"
            + "    - name: Configure\n      include_role: name=web tasks_from=configure\n");
    write(
        "bad.yml",
        "- hosts: all\n  tasks:\n    - name: Applied\n      include_role:\n"
            + "        name: web\n        apply: {become: true}\n");
    // when the report reads them
    MigrationReport good = AnsibleMigration.of(dir.resolve("site.yml"), List.of());
    MigrationReport bad = AnsibleMigration.of(dir.resolve("bad.yml"), List.of());
    // then import_role is supported, include_role mapped (read at load), and the play runs
    assertTrue(good.runsUnchanged(), good.items().toString());
    assertEquals(MigrationReport.Support.SUPPORTED, item(good, "Web").support());
    assertEquals(MigrationReport.Support.MAPPED, item(good, "Configure").support());
    assertTrue(item(good, "Configure").reason().contains("read when the playbook loads"));
    // and apply is unsupported with the load's message
    assertFalse(bad.runsUnchanged());
    assertEquals(MigrationReport.Support.UNSUPPORTED, item(bad, "Applied").support());
    assertTrue(item(bad, "Applied").reason().contains("'apply'"), item(bad, "Applied").reason());
  }

  private static MigrationReport.Item item(MigrationReport r, String label) {
    return r.items().stream()
        .filter(i -> i.label().equals(label))
        .findFirst()
        .orElseThrow(() -> new AssertionError(label + " not in " + r.items()));
  }

  private void assertRefused(String task, String what, String hint) throws IOException {
    InputException e =
        assertThrows(InputException.class, () -> load("- hosts: all\n  tasks:\n" + task));
    assertTrue(e.getMessage().contains(what), e.getMessage());
    assertTrue(e.hint().contains(hint), e.hint());
    assertTrue(e.getMessage().contains("site.yml:"), e.getMessage());
  }
}
