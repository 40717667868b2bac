package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task keywords of Ansible's play format read by the play reader: {@code when} lists. */
class AnsibleKeywordsTest {
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

  @Test
  void aWhenListIsOneConditionWhereAllEntriesMustHold() throws IOException {
    // given a task whose when is a list, bare and {{ }} entries, and a changed_when list
    Playbook pb =
        load(
            """
            - hosts: all
              tasks:
                - name: both
                  shell: echo both
                  when:
                    - a == 1
                    - "{{ b is defined }}"
                  changed_when:
                    - "'x' in r.stdout"
                    - r.rc == 0
                - name: one
                  shell: echo one
                  when: [a == 1]
                - name: none
                  shell: echo none
                  when: []
            """);

    // then the entries are joined with 'and', one entry stays as it is, an empty list is none
    Step both = pb.steps().get(0);
    assertEquals(Optional.of("(a == 1) and (b is defined)"), both.when());
    assertEquals(Optional.of("('x' in r.stdout) and (r.rc == 0)"), both.traits().changedWhen());
    assertEquals(Optional.of("a == 1"), pb.steps().get(1).when());
    assertEquals(Optional.empty(), pb.steps().get(2).when());
    // and the joined condition holds only when every entry does (Ansible's all())
    TemplateEngine t = new TemplateEngine();
    assertTrue(t.evaluate(both.when().get(), Map.of("a", 1, "b", 2)));
    assertFalse(t.evaluate(both.when().get(), Map.of("a", 1)));
    assertFalse(t.evaluate(both.when().get(), Map.of("a", 2, "b", 2)));
  }

  @Test
  void aWhenListOnABlockAndOnAnIncludeIsAddedToEachOfTheirTasks() throws IOException {
    // given a block and an include_tasks, each with a when list
    write("more.yml", "- name: inner\n  shell: echo inner\n  when: c\n");
    Playbook pb =
        load(
            """
            - hosts: all
              tasks:
                - block:
                    - name: guarded
                      shell: echo guarded
                  when:
                    - a
                    - b
                - include_tasks: more.yml
                  when:
                    - d
                    - e
            """);

    // then each task's condition is the block's or include's entries and its own
    assertEquals(Optional.of("(a) and (b)"), pb.steps().get(0).when());
    assertEquals(Optional.of("((d) and (e)) and (c)"), pb.steps().get(1).when());
  }

  @Test
  void aWhenListEntryThatMixesTemplatesWithTextOrIsNoExpressionIsRefusedAtItsLine() {
    // when an entry mixes {{ }} with text
    InputException mixed =
        error(
            """
            - hosts: all
              tasks:
                - shell: echo
                  when:
                    - a
                    - "{{ a }} == 1"
            """);
    // then it is refused at the entry, saying what to write
    assertTrue(mixed.getMessage().contains("mixes {{ }} with text"), mixed.getMessage());
    assertTrue(mixed.getMessage().contains("site.yml:6:"), mixed.getMessage());

    // when an entry is a mapping
    InputException map =
        error("- hosts: all\n  tasks:\n    - shell: echo\n      when:\n        - {a: 1}\n");
    // then too
    assertTrue(map.getMessage().contains("list of expressions"), map.getMessage());
  }

  @Test
  void checkModeFalseRunsAsUsualAndCheckModeTrueOnlyWhereTheModuleChangesNothing()
      throws IOException {
    // given check_mode false on a command (as geerlingguy's roles write it) and true on debug
    Playbook pb =
        load(
            """
            - hosts: all
              tasks:
                - name: Get version
                  command: git --version
                  changed_when: false
                  check_mode: false
                - name: Say
                  debug: msg=hi
                  check_mode: yes
            """);

    // then both read, the keyword dropped (a normal run ignores false; true changes nothing here)
    assertEquals(List.of("get-version", "say"), pb.steps().stream().map(Step::id).toList());

    // when check_mode true is on a module that changes the host
    InputException onShell =
        error("- hosts: all\n  tasks:\n    - shell: touch /x\n      check_mode: true\n");
    // then it is refused at its line, with the alternative
    assertTrue(
        onShell.getMessage().contains("'check_mode: true' on 'shell'"), onShell.getMessage());
    assertTrue(onShell.getMessage().contains("site.yml:4:"), onShell.getMessage());
    assertTrue(onShell.hint().contains("plan --check"), onShell.hint());
    // and a templated one, and one on a play, too
    InputException templated =
        error("- hosts: all\n  tasks:\n    - ping:\n      check_mode: \"{{ x }}\"\n");
    assertTrue(templated.getMessage().contains("must be true or false"), templated.getMessage());
    InputException play = error("- hosts: all\n  check_mode: false\n  tasks: []\n");
    assertTrue(play.getMessage().contains("'check_mode'"), play.getMessage());
  }

  @Test
  void theMigrationReportSaysWhatCheckModeFalseMeansHere() throws IOException {
    // given a task with check_mode false
    write(
        "site.yml",
        "- hosts: all\n  tasks:\n    - name: Get version\n      command: git --version\n"
            + "      check_mode: false\n");

    // when the report judges it
    MigrationReport r = AnsibleMigration.of(dir.resolve("site.yml"), List.of());

    // then it is mapped, saying plan --check does not run it
    MigrationReport.Item item =
        r.items().stream().filter(i -> i.label().equals("Get version")).findFirst().orElseThrow();
    assertEquals(MigrationReport.Support.MAPPED, item.support());
    assertTrue(item.reason().contains("plan --check does not run it"), item.reason());
  }
}
