package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnsiblePlaysTest {
  @TempDir Path dir;

  private void write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  private Playbook load(String yaml) throws IOException {
    write("site.yml", yaml);
    return new PlaybookLoader().load(dir.resolve("site.yml"));
  }

  private InputException error(String yaml) {
    return assertThrows(InputException.class, () -> load(yaml));
  }

  private static List<String> ids(List<Step> steps) {
    return steps.stream().map(Step::id).toList();
  }

  @Test
  void aPlayBecomesOneStageWithPreTasksRolesTasksAndPostTasksInAnsiblesOrder() throws IOException {
    // given a play with every section, a role and a handler
    write("roles/web/tasks/main.yml", "- name: Install web\n  shell: echo web\n");
    write("roles/web/handlers/main.yml", "- name: restart web\n  shell: echo restart\n");
    write("roles/web/defaults/main.yml", "port: 80\n");
    Playbook pb =
        load(
            """
            - name: Rolling update
              hosts: webservers
              serial: [1, "50%"]
              max_fail_percentage: 25
              gather_facts: no
              pre_tasks:
                - name: Drain
                  shell: echo drain
              roles:
                - web
              tasks:
                - name: Deploy the app
                  ansible.builtin.shell: echo deploy
                  notify: restart web
              post_tasks:
                - name: Enable
                  shell: echo enable
            """);

    // then: one stage over the play's hosts with its batches and budget
    Stage stage = pb.stages().get(0);
    assertEquals(List.of(stage), pb.stages());
    assertEquals("Rolling update", stage.name());
    assertEquals("webservers", stage.hosts());
    assertEquals(25, stage.maxFailPercentage());
    assertEquals(2, stage.serial().size());
    // and the steps in Ansible's order, handlers flushed after pre_tasks and after tasks
    assertEquals(
        List.of(
            "drain",
            "flush-handlers-pre-tasks",
            "web.install-web",
            "deploy-the-app",
            "flush-handlers-tasks",
            "enable"),
        ids(pb.steps()));
    assertEquals(List.of("web.restart-web"), ids(pb.handlers()));
    assertEquals(false, pb.gatherFacts());
  }

  @Test
  void freeFormKeyValueArgumentsAndFullModuleNamesReadAsAnsibleReadsThem() throws IOException {
    // when a play uses k=v arguments, args:, FQCNs, local_action and with_dict
    Playbook pb =
        load(
            """
            - hosts: all
              tasks:
                - name: say
                  ansible.builtin.debug: msg="hello {{ inventory_hostname }}"
                - name: marker
                  shell: touch /tmp/m creates=/tmp/m
                - name: copy it
                  copy: content=x
                  args:
                    dest: /tmp/x
                    content: overridden
                - local_action: shell echo local
                - name: each
                  debug: msg={{ item.key }}
                  with_dict: {a: 1}
            """);

    // then
    Step say = pb.steps().get(0);
    assertEquals(
        Map.of("msg", "hello {{ inventory_hostname }}"),
        say.extras().module().orElseThrow().args());
    Step marker = pb.steps().get(1);
    assertEquals("touch /tmp/m", marker.shell());
    assertEquals(Optional.of("/tmp/m"), marker.creates());
    assertEquals("x", pb.steps().get(2).extras().file().orElseThrow().content().orElseThrow());
    Step local = pb.steps().get(3);
    assertEquals("shell", local.id());
    assertEquals(Optional.of("localhost"), local.extras().delegateTo());
    assertTrue(pb.steps().get(4).extras().loop().isPresent());
    // Ansible gathers facts unless the play says no
    assertTrue(pb.gatherFacts());
  }

  @Test
  void repeatedNamesGetNumberedIdsAndAPlaysKeywordsAreInherited() throws IOException {
    Playbook pb =
        load(
            """
            - hosts: all
              become: yes
              become_user: app
              environment: {A: "1"}
              tags: [update]
              vars: {x: 1}
              remote_user: deploy
              tasks:
                - {name: Restart, shell: echo 1}
                - {name: Restart, shell: echo 2, become: false, environment: {B: "2"}}
                - {name: "Restart!", shell: echo 3}
            """);
    assertEquals(List.of("restart", "restart-2", "restart-3"), ids(pb.steps()));
    Step first = pb.steps().get(0);
    assertTrue(first.become());
    assertEquals("app", first.becomeUser());
    assertEquals(Map.of("A", "1"), first.environment());
    assertTrue(first.traits().tags().contains("update"));
    Step second = pb.steps().get(1);
    assertEquals(false, second.become());
    assertEquals(Map.of("A", "1", "B", "2"), second.environment());
    // play vars rank above the inventory (Ansible's play vars); remote_user below it
    assertEquals("{x=1}", pb.playVars().toString());
    assertEquals(Map.of("ansible_user", "deploy"), pb.vars());
  }

  @Test
  void whatWeDoNotRunIsRefusedAtItsPositionWithWhatToDo() {
    assertError(
        "- hosts: all\n  tasks:\n    - name: x\n      community.mysql.mysql_db: name=app\n",
        "site.yml:4:7",
        "module 'community.mysql.mysql_db' is not supported");
    assertError(
        "- hosts: all\n  tasks:\n    - name: x\n      shell: echo\n      no_log: true\n",
        "site.yml:5:7",
        "'no_log' is not supported");
    assertError("- hosts: all\n  vars_prompt: []\n  tasks: []\n", "site.yml:2:3", "vars_prompt");
    assertError("- hosts: all\n  hostz: x\n", "site.yml:2:3", "unknown play keyword 'hostz'");
    assertError("- import_playbook: other.yml\n", "site.yml:1:20", "does not exist");
    assertError(
        "- hosts: all\n  tasks:\n    - debug: msg=\"unclosed\n",
        "site.yml:3:14",
        "cannot read the arguments of 'debug'");
    assertError(
        "- hosts: all\n  tasks:\n    - name: two\n      shell: a\n      copy: src=b dest=c\n",
        "site.yml:5:7",
        "names 'shell' and 'copy'");
  }

  private void assertError(String yaml, String where, String what) {
    InputException e = error(yaml);
    assertTrue(e.getMessage().contains(where), e.getMessage());
    assertTrue(e.getMessage().contains(what), e.getMessage());
    assertTrue(e.hint() != null && !e.hint().isBlank(), "a hint says what to do");
  }

  @Test
  void includedTaskFilesAreReadAsAnsibleTasksWithTheirFileAsIdPrefix() throws IOException {
    write("tasks/drain.yml", "- name: Take it out\n  shell: echo out\n- shell: echo again\n");
    Playbook pb =
        load(
            """
            - hosts: all
              tasks:
                - import_tasks: tasks/drain.yml
                - ansible.builtin.include_tasks:
                    file: tasks/drain.yml
                  when: later
            """);
    assertEquals(
        List.of("drain.take-it-out", "drain.shell", "drain-2.take-it-out", "drain-2.shell"),
        ids(pb.steps()));
    assertEquals(Optional.of("later"), pb.steps().get(2).when());
  }

  @Test
  void aPauseEndingASerialPlayIsAGateBetweenBatches() throws IOException {
    // given serial plays ending with a timed pause and with a prompt
    Playbook timed =
        load(
            """
            - hosts: all
              serial: 1
              tasks:
                - {name: work, shell: echo 1}
                - name: let it settle
                  ansible.builtin.pause: minutes=5
            """);
    Playbook asked =
        load(
            """
            - hosts: all
              serial: 2
              tasks:
                - {name: work, shell: echo 1}
              post_tasks:
                - {name: check, shell: echo 2}
                - pause: {prompt: "Next batch?"}
            """);
    Playbook notSerial =
        load("- hosts: all\n  tasks:\n    - {name: work, shell: echo 1}\n    - pause: seconds=1\n");

    // then the pauses are batch gates, not steps
    assertEquals(List.of("work"), ids(timed.steps()));
    assertEquals("5m", ((Gate.Wait) timed.stages().get(0).batchGates().get(0)).duration());
    assertEquals(List.of("work", "flush-handlers-tasks", "check"), ids(asked.steps()));
    assertEquals(
        "Next batch?", ((Gate.Approval) asked.stages().get(0).batchGates().get(0)).message());
    // without serial, a pause is the step it always was
    assertEquals(List.of("work", "pause"), ids(notSerial.steps()));
    assertEquals(List.of(), notSerial.stages().get(0).batchGates());
  }

  @Test
  void everyRoleKeywordWeDoNotApplyIsRefusedAndOtherKeysAreRoleParameters() throws IOException {
    // given a role, and role entries with each keyword of Ansible's RoleDefinition we do not apply
    write("roles/web/tasks/main.yml", "- name: Install web\n  shell: echo {{ port_param }}\n");
    for (String keyword : AnsibleRoleEntries.REFUSED) {
      // when a play's role entry carries it
      InputException e =
          error(
              "- hosts: all\n  roles:\n    - role: web\n      port_param: 1\n      "
                  + keyword
                  + ": yes\n");
      // then the play is refused at the keyword, never read as a role parameter and ignored
      assertTrue(
          e.getMessage().contains("the role keyword '" + keyword + "' is not supported"),
          keyword + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("site.yml:5:7"), e.getMessage());
    }
    // and a key that is no keyword stays a role parameter
    Playbook pb = load("- hosts: all\n  roles:\n    - role: web\n      port_param: 1\n");
    assertEquals(List.of("web.install-web"), ids(pb.steps()));
  }

  @Test
  void becomeFromTheCommandLineIsADefaultThatPlaysAndTasksOverride() throws IOException {
    // given -b --become-user app, a role, and plays and tasks that say otherwise
    write("roles/web/tasks/main.yml", "- name: Role task\n  shell: echo r\n");
    write(
        "site.yml",
        """
        - hosts: all
          roles: [web]
          tasks:
            - name: Plain
              shell: echo a
            - name: Not this one
              shell: echo b
              become: false
            - name: Other user
              shell: echo c
              become_user: backup
        """);
    dev.orchestrator.common.Privilege b =
        new dev.orchestrator.common.Privilege(true, Optional.of("app"), Optional.empty());
    // when loaded with them
    Playbook pb = new PlaybookLoader(List.of(), b).load(dir.resolve("site.yml"));
    // then every task becomes app, but those that say otherwise
    Map<String, String> got = new java.util.LinkedHashMap<>();
    pb.steps().forEach(s -> got.put(s.id(), s.become() ? s.becomeUser() : "-"));
    assertEquals(
        Map.of("web.role-task", "app", "plain", "app", "not-this-one", "-", "other-user", "backup"),
        got);
    // and a play that says become: no wins over -b for all its tasks
    write("off.yml", "- hosts: all\n  become: no\n  tasks:\n    - name: A\n      shell: echo a\n");
    Playbook off = new PlaybookLoader(List.of(), b).load(dir.resolve("off.yml"));
    assertEquals(false, off.steps().get(0).become());
  }

  @Test
  void becomeFromTheCommandLineIsRefusedForOurOwnFormat() throws IOException {
    // given a playbook of our own format, and -b
    write("ours.yml", "steps:\n  - id: a\n    shell: echo a\n");
    dev.orchestrator.common.Privilege b =
        new dev.orchestrator.common.Privilege(true, Optional.empty(), Optional.empty());
    // when loaded, then refused saying where become is written in our format
    InputException e =
        assertThrows(
            InputException.class,
            () -> new PlaybookLoader(List.of(), b).load(dir.resolve("ours.yml")));
    assertTrue(e.getMessage().contains("-b/--become"), e.getMessage());
    assertTrue(e.hint().contains("become: true"), e.hint());
  }
}
