package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnsiblePlayListTest {
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

  private static List<String> ids(List<Step> steps) {
    return steps.stream().map(Step::id).toList();
  }

  @Test
  void severalPlaysAreStagesInOrderEachWithItsOwnPrefixedStepsVarsAndHandlers() throws IOException {
    // given: a named play, an unnamed one over the same hosts, and a fact-only play
    Playbook pb =
        load(
            """
            - hosts: monitoring
              tasks: []
            - name: Web servers
              hosts: web
              serial: 1
              vars: {port: 80}
              tasks:
                - name: Write it
                  shell: echo {{ port }}
                  notify: restart
              handlers:
                - name: restart
                  shell: echo restart
            - hosts: web
              gather_facts: false
              vars: {port: 81}
              tasks:
                - name: Write it
                  shell: echo {{ port }}
            """);

    // then: one stage per play, each play a playbook of its own, ids prefixed per play
    assertEquals(3, pb.plays().size());
    assertEquals(
        List.of("monitoring", "Web servers", "web"),
        pb.stages().stream().map(Stage::name).toList());
    assertEquals(List.of("play-1.gather-facts"), ids(pb.plays().get(0).steps()));
    assertEquals("web-servers.write-it", ids(pb.plays().get(1).steps()).get(0));
    assertEquals(List.of("play-3.write-it"), ids(pb.plays().get(2).steps()));
    assertEquals(List.of("web-servers.restart"), ids(pb.plays().get(1).handlers()));
    assertEquals("{port=80}", pb.plays().get(1).playVars().toString());
    assertEquals("{port=81}", pb.plays().get(2).playVars().toString());
    assertEquals(1, pb.plays().get(1).stages().get(0).serial().size());
    // and: the whole playbook has every play's steps, for validation and listings
    assertEquals(
        List.of("play-1.gather-facts", "web-servers.write-it", "play-3.write-it"),
        ids(pb.steps()).stream().filter(i -> !i.contains("flush")).toList());
    // and: facts gathered by a play stay for the plays after it
    assertTrue(pb.plays().get(2).gatherFacts(), "play 1 gathered them");
  }

  @Test
  void twoPlaysOfTheSameNameGetDistinctPrefixesAndStageNames() throws IOException {
    Playbook pb =
        load(
            """
            - name: Deploy
              hosts: a
              tasks: [{name: x, shell: echo a}]
            - name: Deploy
              hosts: b
              tasks: [{name: x, shell: echo b}]
            """);

    assertEquals(List.of("deploy.x", "deploy-2.x"), ids(pb.steps()));
    assertEquals(List.of("Deploy", "Deploy (2)"), pb.stages().stream().map(Stage::name).toList());
  }

  @Test
  void importPlaybookReadsTheFileRelativeToTheImporterWithTheImportsVarsOverThePlays()
      throws IOException {
    // given: site.yml imports plays/web.yml, which imports db.yml next to it
    write(
        "plays/web.yml",
        """
        - name: Web
          hosts: web
          vars: {port: 80, colour: blue}
          tasks: [{name: Say, shell: 'echo {{ port }}'}]
        - import_playbook: db.yml
        """);
    write("plays/db.yml", "- name: DB\n  hosts: db\n  tasks: [{name: Say, shell: echo db}]\n");
    Playbook pb =
        load(
            """
            - name: First
              hosts: all
              tasks: [{name: Say, shell: echo first}]
            - ansible.builtin.import_playbook: plays/web.yml
              vars: {port: 8080}
              tags: [web]
            """);

    // then: the imported plays follow, in order, with the import's vars laid over their own
    assertEquals(List.of("first.say", "web.say", "db.say"), ids(pb.steps()));
    assertEquals("{port=8080, colour=blue}", pb.plays().get(1).playVars().toString());
    assertEquals("{port=8080}", pb.plays().get(2).playVars().toString());
    assertTrue(pb.plays().get(2).steps().get(0).traits().tags().contains("web"));
  }

  @Test
  void anImportOfOnePlayIsStillAPlaybookOfPlays() throws IOException {
    write("one.yml", "- hosts: all\n  tasks: [{name: Say, shell: echo}]\n");

    Playbook pb = load("- import_playbook: one.yml\n");

    assertEquals(1, pb.plays().size());
    assertEquals(List.of("play-1.say"), ids(pb.steps()));
  }

  @Test
  void aCycleOfImportsIsRefusedWithItsChain() throws IOException {
    write("b.yml", "- import_playbook: site.yml\n");

    InputException e = assertThrows(InputException.class, () -> load("- import_playbook: b.yml\n"));

    assertTrue(e.getMessage().contains("b.yml:1:20"), e.getMessage());
    assertTrue(e.getMessage().contains("site.yml -> b.yml -> site.yml"), e.getMessage());
  }

  @Test
  void whatAnImportCannotBeIsRefusedAtItsPosition() throws IOException {
    write("one.yml", "- hosts: all\n  tasks: [{shell: echo}]\n");
    assertError("- import_playbook: one.yml\n  when: x\n", "site.yml:2:3", "conditional");
    assertError("- import_playbook: nothere.yml\n", "site.yml:1:20", "does not exist");
    assertError("- import_playbook: one.yml x=1\n", "site.yml:1:20", "file name");
    assertError("- import_playbook: '{{ f }}'\n", "site.yml:1:20", "file name");
    assertError("- import_playbook: one.yml\n  serial: 1\n", "site.yml:2:3", "'serial'");
  }

  private void assertError(String yaml, String where, String what) {
    InputException e = assertThrows(InputException.class, () -> load(yaml));
    assertTrue(e.getMessage().contains(where), e.getMessage());
    assertTrue(e.getMessage().contains(what), e.getMessage());
    assertTrue(e.hint() != null && !e.hint().isBlank(), "a hint says what to do");
  }
}
