package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delegation keys of a step: delegate_to, local_action, delegate_facts, run_once. */
class DelegationKeysTest {
  @TempDir Path dir;

  private Step step(String keys) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, "hosts: web\nsteps:\n  - id: s\n" + keys);
    return new PlaybookLoader().load(file).steps().get(0);
  }

  private InputException error(String keys) {
    return assertThrows(InputException.class, () -> step(keys));
  }

  @Test
  void delegateToKeepsItsTemplateForTheTargetsVars() throws IOException {
    // given a step delegated with a template
    Step s = step("    delegate_to: \"{{ lb }}\"\n    delegate_facts: true\n    shell: echo x\n");
    // then the template is kept, to be rendered per target
    assertEquals(Optional.of("{{ lb }}"), s.extras().delegateTo());
    assertTrue(s.extras().delegateFacts());
    assertEquals("echo x", s.shell());
  }

  @Test
  void localActionIsDelegateToLocalhostInEachOfItsForms() throws IOException {
    // given the free form, the shell map and the module map
    for (String form :
        new String[] {
          "    local_action: shell echo {{ x }}\n",
          "    local_action: {shell: \"echo {{ x }}\"}\n",
          "    local_action:\n      module: shell\n      cmd: echo {{ x }}\n"
        }) {
      Step s = step(form);
      // then each runs its command on localhost
      assertEquals(Optional.of("localhost"), s.extras().delegateTo(), form);
      assertEquals("echo {{ x }}", s.shell(), form);
    }
  }

  @Test
  void aStepWithoutTheKeysKeepsItsHash() throws IOException {
    // given the same step without delegation, with delegate_to: web1 and with delegate_to: web2
    Step plain = step("    shell: echo x\n");
    Step one = step("    shell: echo x\n    delegate_to: web1\n");
    Step two = step("    shell: echo x\n    delegate_to: web2\n    run_once: false\n");
    // then the plain step has no extras, and where it runs is part of the definition
    assertEquals(StepExtras.NONE, plain.extras());
    assertNotEquals(plain.definitionHash(), one.definitionHash());
    assertNotEquals(one.definitionHash(), two.definitionHash());
    assertFalse(two.extras().runOnce());
  }

  @Test
  void runOnceIsReadAndPartOfTheDefinition() throws IOException {
    // given a step with run_once: true, alone and with delegate_to
    Step plain = step("    shell: echo x\n");
    Step once = step("    shell: echo x\n    run_once: true\n");
    Step onLb = step("    shell: echo x\n    run_once: true\n    delegate_to: web1\n");
    // then it is kept on the step and changes its definition hash
    assertTrue(once.extras().runOnce());
    assertTrue(onLb.extras().runOnce());
    assertEquals(java.util.Optional.of("web1"), onLb.extras().delegateTo());
    assertNotEquals(plain.definitionHash(), once.definitionHash());
  }

  @Test
  void mistakesAreRefusedWithTheirPlaceAndAHint() {
    // given local_action beside shell, another module, delegate_facts alone, an empty delegate
    InputException both = error("    local_action: shell a\n    shell: b\n");
    InputException module = error("    local_action: copy src=a dest=b\n");
    InputException facts = error("    delegate_facts: true\n    shell: b\n");
    InputException empty = error("    delegate_to: ''\n    shell: b\n");
    InputException deferred = error("    run_once: true\n    deferred: true\n    shell: b\n");
    InputException withDelegate = error("    local_action: shell a\n    delegate_to: lb1\n");
    // then each names the step's place and what to write instead
    assertTrue(both.getMessage().contains("pb.yml:5:5"), both.getMessage()); // the second action
    assertTrue(both.getMessage().contains("has both 'local_action' and 'shell'"));
    assertTrue(module.getMessage().contains("runs the module 'copy'"), module.getMessage());
    assertTrue(module.hint().contains("delegate_to: localhost"), module.hint());
    assertTrue(facts.getMessage().contains("'delegate_facts' without 'delegate_to'"));
    assertTrue(empty.getMessage().contains("'delegate_to' is empty"), empty.getMessage());
    assertTrue(deferred.getMessage().contains("run_once with deferred"), deferred.getMessage());
    assertTrue(
        withDelegate.hint().contains("mutually") || withDelegate.hint().contains("remove one"));
  }
}
