package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactsKeysTest {
  @TempDir Path dir;

  private Playbook load(String text) throws IOException {
    Files.writeString(dir.resolve("pb.yml"), text);
    return new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  @Test
  void factsAreGatheredWhenThePlaybookNamesOneOrSaysSo() throws IOException {
    // when / then
    assertFalse(load("steps:\n  - {id: a, shell: echo}\n").gatherFacts());
    assertTrue(load("steps:\n  - {id: a, shell: 'echo {{ ansible_fqdn }}'}\n").gatherFacts());
    assertTrue(load("gather_facts: true\nsteps:\n  - {id: a, shell: echo}\n").gatherFacts());
    assertFalse(
        load("gather_facts: false\nsteps:\n  - {id: a, shell: 'echo {{ ansible_fqdn }}'}\n")
            .gatherFacts());
  }

  @Test
  void factsNamedOnlyInARoleAStepFileOrATemplateAreGatheredToo() throws IOException {
    // given a fact named only in a role's tasks, only in an imported step file, only in a template
    Files.createDirectories(dir.resolve("roles/web/tasks"));
    Files.writeString(
        dir.resolve("roles/web/tasks/main.yml"), "- {id: a, shell: 'echo {{ ansible_kernel }}'}\n");
    Files.writeString(dir.resolve("more.yml"), "- {id: b, shell: 'echo {{ ansible_fqdn }}'}\n");
    Files.writeString(dir.resolve("motd.j2"), "{{ ansible_hostname }}\n");
    // when each playbook loads, then it gathers (they read only the playbook file before)
    assertTrue(load("roles: [web]\n").gatherFacts());
    assertTrue(load("steps:\n  - import_steps: more.yml\n").gatherFacts());
    assertTrue(
        load("steps:\n  - {id: c, template: {src: motd.j2, dest: /tmp/motd}}\n").gatherFacts());
  }

  @Test
  void theNewStepKeysAreReadAndChangeTheDefinitionHashOnlyWhenUsed() throws IOException {
    // given
    Playbook pb =
        load(
            """
            steps:
              - {id: plain, shell: echo, become: true}
              - id: reads
                shell: echo
                fact: true
                become: true
                become_method: sudo
                become_flags: "-H -E"
                become_password: "{{ sudo_password }}"
            """);

    // then
    Step plain = pb.steps().get(0);
    Step reads = pb.steps().get(1);
    assertEquals(StepExtras.NONE, plain.extras());
    assertTrue(reads.extras().fact());
    assertEquals(
        new StepBecome(
            Optional.of("sudo"), Optional.of("-H -E"), Optional.of("{{ sudo_password }}")),
        reads.extras().become());
    assertTrue(!plain.definitionHash().equals(reads.definitionHash()));
  }

  @Test
  void aPasswordWrittenInThePlaybookIsRefusedWithoutEchoingIt() throws IOException {
    // when
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                load("steps:\n  - {id: a, shell: echo, become: true, become_password: hunter2}\n"));

    // then
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(e.getMessage().contains("pb.yml:2:"), e.getMessage());
  }

  @Test
  void suWithAPasswordIsReadAndAnUnknownMethodIsRefusedWithWhatToDo() throws IOException {
    // when
    var su =
        load(
            """
            steps:
              - id: a
                shell: echo
                become: true
                become_method: su
                become_password: "{{ pw }}"
            """);
    InputException doas =
        assertThrows(
            InputException.class,
            () -> load("steps:\n  - {id: a, shell: echo, become: true, become_method: doas}\n"));

    // then
    assertEquals(
        new StepBecome(Optional.of("su"), Optional.empty(), Optional.of("{{ pw }}")),
        su.steps().get(0).extras().become());
    assertTrue(doas.getMessage().contains("doas"), doas.getMessage());
  }
}
