package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.playbook.MigrationReport.Item;
import dev.orchestrator.playbook.MigrationReport.Kind;
import dev.orchestrator.playbook.MigrationReport.Support;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnsibleMigrationTest {
  @TempDir Path dir;

  private void write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  private MigrationReport report(String yaml) throws IOException {
    write("site.yml", yaml);
    return AnsibleMigration.of(dir.resolve("site.yml"), List.of());
  }

  private static Item item(MigrationReport r, String label) {
    return r.items().stream()
        .filter(i -> i.label().equals(label))
        .findFirst()
        .orElseThrow(() -> new AssertionError(label + " not in " + r.items()));
  }

  @Test
  void everyPartIsJudgedOnItsOwnAndTheReadingGoesOnPastARefusal() throws IOException {
    // given a play whose role, tasks, block and handlers mix what we run and what we refuse
    write(
        "roles/web/tasks/main.yml",
        """
        - name: Install web
          mysql_db: name=app state=present
        - name: Configure web
          ansible.builtin.copy: content=x dest=/tmp/web.conf
        - name: Pull extra steps
          include_tasks: extra.yml
        """);
    write("roles/web/tasks/extra.yml", "- name: Extra\n  shell: echo extra\n");
    write(
        "roles/web/handlers/main.yml",
        "- name: restart web\n  service: name=web state=restarted\n");
    MigrationReport r =
        report(
            """
            - name: Web tier
              hosts: webservers
              max_fail_percentage: 0
              vars_prompt: []
              roles:
                - web
              tasks:
                - name: Async thing
                  shell: sleep 1
                  async: 10
                - name: Scoped
                  debug: msg={{ x }}
                  vars:
                    x: 1
                - name: Guarded
                  block:
                    - name: Inside
                      command: /bin/true
                  rescue:
                    - name: Unknown module inside
                      frobnicate: yes
                - name: Bad argument
                  copy: dest=/tmp/x content=y colour=blue
                - name: From here
                  local_action: command /bin/true
            """);
    // then each part has its own verdict, in Ansible's reading order
    assertEquals(Support.SUPPORTED, item(r, "Web tier").support());
    assertEquals(Support.UNSUPPORTED, item(r, "vars_prompt").support());
    assertEquals(Kind.KEYWORD, item(r, "vars_prompt").kind());
    assertEquals(Support.SUPPORTED, item(r, "web").support());
    assertEquals(Kind.ROLE, item(r, "web").kind());
    Item yum = item(r, "Install web");
    assertEquals(Support.UNSUPPORTED, yum.support());
    assertTrue(yum.reason().contains("the module 'mysql_db' is not supported"), yum.reason());
    assertTrue(yum.reason().contains("roles/web/tasks/main.yml:2:3"), yum.reason());
    assertEquals(Support.SUPPORTED, item(r, "Configure web").support());
    assertEquals(Support.MAPPED, item(r, "Pull extra steps").support());
    assertEquals(Kind.TASK_FILE, item(r, "Pull extra steps").kind());
    assertEquals(Support.SUPPORTED, item(r, "Extra").support());
    assertEquals(3, item(r, "Extra").depth());
    assertEquals(Kind.HANDLER, item(r, "restart web").kind());
    assertEquals(Support.SUPPORTED, item(r, "restart web").support());
    assertTrue(item(r, "Async thing").reason().contains("'async' is not supported"));
    assertEquals(Support.MAPPED, item(r, "Scoped").support());
    assertEquals(Support.SUPPORTED, item(r, "Guarded").support());
    assertEquals(Support.SUPPORTED, item(r, "Inside").support());
    assertEquals(Support.UNSUPPORTED, item(r, "Unknown module inside").support());
    Item badArg = item(r, "Bad argument");
    assertEquals(Support.UNSUPPORTED, badArg.support());
    assertTrue(badArg.reason().contains("colour"), badArg.reason());
    assertEquals(Support.MAPPED, item(r, "From here").support());
    assertTrue(item(r, "From here").reason().contains("delegate_to: localhost"));
    assertFalse(r.runsUnchanged());
  }

  @Test
  void aPlaybookOfSupportedPartsRunsUnchangedAndTheLoadAgrees() throws IOException {
    // given a play of what we run
    MigrationReport r =
        report(
            """
            - hosts: all
              max_fail_percentage: 0
              tasks:
                - name: Hello
                  command: echo hello
            """);
    // then nothing is unsupported, and the playbook loads
    assertTrue(r.runsUnchanged(), r.items().toString());
    new PlaybookLoader().load(dir.resolve("site.yml"));
    assertEquals(2, r.items().size());
  }

  @Test
  void scriptAndUnarchiveAreSupportedAndAMissingScriptIsNamed() throws IOException {
    // given a play that runs a script of files/, unpacks an archive on the host, and a missing one
    write("files/go.sh", "echo go\n");
    MigrationReport r =
        report(
            """
            - hosts: all
              tasks:
                - name: Go
                  ansible.builtin.script: go.sh --now
                - name: Unpack
                  unarchive: src=/tmp/a.tgz dest=/srv copy=no
                - name: Missing
                  script: nope.sh
            """);
    // then the first two are supported, the third names the file it could not find
    assertEquals(Support.SUPPORTED, item(r, "Go").support(), r.items().toString());
    assertEquals(Support.SUPPORTED, item(r, "Unpack").support(), r.items().toString());
    assertTrue(item(r, "Missing").reason().contains("could not find or access 'nope.sh'"));
  }

  @Test
  void includeVarsIsSupportedAndADirectoryOfVarsIsNamed() throws IOException {
    // given a play that includes a literal vars file, one named by a fact, and a folder
    write("vars/app.yml", "port: 80\n");
    MigrationReport r =
        report(
            """
            - hosts: all
              tasks:
                - name: App
                  ansible.builtin.include_vars: app.yml
                - name: Os
                  include_vars: "{{ ansible_os_family }}.yml"
                - name: Folder
                  include_vars: {dir: vars}
            """);
    // then the first two are supported, the folder is refused naming its argument
    assertEquals(Support.SUPPORTED, item(r, "App").support(), r.items().toString());
    assertEquals(Support.SUPPORTED, item(r, "Os").support(), r.items().toString());
    assertTrue(item(r, "Folder").reason().contains("'dir' of include_vars"), r.items().toString());
  }

  @Test
  void aRuleAboutTheWholePlaybookIsReportedWhereItIs() throws IOException {
    // given tasks each fine on their own, but a notify naming no handler (a whole-playbook rule)
    MigrationReport r =
        report(
            """
            - hosts: all
              tasks:
                - name: Hello
                  command: echo hello
                  notify: nobody listens
            """);
    // then the load's refusal is in the report, so it never claims what a run refuses
    assertFalse(r.runsUnchanged(), r.items().toString());
    InputException load =
        assertThrows(
            InputException.class, () -> new PlaybookLoader().load(dir.resolve("site.yml")));
    assertTrue(
        r.items().stream().anyMatch(i -> i.reason().startsWith(load.getMessage())),
        r.items().toString());
  }

  @Test
  void aMissingRoleOrTaskFileIsUnsupportedAndTheRestIsStillRead() throws IOException {
    // given a play naming a role and a task file that do not exist, then a good task
    MigrationReport r =
        report(
            """
            - hosts: all
              roles: [ghost]
              tasks:
                - import_tasks: nowhere.yml
                - name: Still read
                  command: echo yes
            """);
    // then both are unsupported, named, and the good task is judged
    assertEquals(Support.UNSUPPORTED, item(r, "ghost").support());
    assertTrue(item(r, "import_tasks").reason().contains("does not exist"));
    assertEquals(Support.SUPPORTED, item(r, "Still read").support());
  }

  @Test
  void importedPlaybooksAreReadAndACycleIsNamed() throws IOException {
    // given a playbook importing one that imports the first again
    write(
        "other.yml",
        "- import_playbook: site.yml\n- hosts: all\n  tasks:\n    - command: echo b\n");
    MigrationReport r = report("- import_playbook: other.yml\n");
    // then the import, the imported play and the cycle are all in the report
    assertEquals(Kind.IMPORT_PLAYBOOK, r.items().get(0).kind());
    Item cycle =
        r.items().stream()
            .filter(i -> i.kind() == Kind.IMPORT_PLAYBOOK && i.label().equals("site.yml"))
            .findFirst()
            .orElseThrow();
    assertEquals(Support.UNSUPPORTED, cycle.support());
    assertTrue(cycle.reason().contains("imports itself"), cycle.reason());
    assertTrue(r.items().stream().anyMatch(i -> i.kind() == Kind.TASK));
  }

  @Test
  void ourOwnFormatIsNotReportedOn() throws IOException {
    // given a playbook of our own format
    write("ours.yml", "steps:\n  - id: a\n    shell: echo a\n");
    // then the report refuses it, naming the command that checks it
    InputException e =
        assertThrows(
            InputException.class, () -> AnsibleMigration.of(dir.resolve("ours.yml"), List.of()));
    assertTrue(e.getMessage().contains("not an Ansible playbook"), e.getMessage());
  }
}
