package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arguments of {@code group} and {@code user} as the loader reads them ({@link
 * AccountModuleArgs}).
 */
class AccountModuleArgsTest {
  @TempDir Path dir;

  private Playbook load(String steps) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, "steps:\n" + steps);
    return new PlaybookLoader().load(file);
  }

  private InputException error(String steps) {
    return assertThrows(InputException.class, () -> load(steps));
  }

  @Test
  void readsGroupWithAnsiblesArguments() throws IOException {
    // given a group step with every supported argument
    Playbook pb =
        load(
            "  - id: g\n    group: {name: app, gid: 990, system: yes, non_unique: false, state: present}\n");
    // then the step calls group with them, booleans as booleans
    ModuleCall call = pb.steps().get(0).extras().module().orElseThrow();
    assertEquals("group", call.name());
    assertEquals(
        Map.of("name", "app", "gid", 990, "system", true, "non_unique", false, "state", "present"),
        call.args());
  }

  @Test
  void invalidArgumentsAreErrorsAtTheirPlace() {
    // given each invalid use
    InputException unknown = error("  - id: g\n    group: {name: app, gdi: 5}\n");
    InputException local = error("  - id: g\n    group: {name: app, local: true}\n");
    InputException state = error("  - id: g\n    group: {name: app, state: gone}\n");
    InputException nameless = error("  - id: g\n    group: {gid: 5}\n");
    InputException shared = error("  - id: g\n    group: {name: app, non_unique: true}\n");
    // then each says what is wrong, where
    assertTrue(unknown.getMessage().contains("pb.yml:3:24"), unknown.getMessage());
    assertTrue(unknown.hint().contains("did you mean 'gid'?"), unknown.hint());
    assertTrue(
        local.getMessage().contains("'local' of group is not supported"), local.getMessage());
    assertTrue(state.getMessage().contains("unknown state 'gone'"), state.getMessage());
    assertTrue(nameless.getMessage().contains("has no 'name'"), nameless.getMessage());
    assertTrue(shared.getMessage().contains("'non_unique' needs 'gid'"), shared.getMessage());
  }

  @Test
  void readsUserWithAnsiblesArgumentsAndAliases() throws IOException {
    // given a user step with aliases (user, createhome) and a uid written as text (k=v's form)
    Playbook pb =
        load(
            "  - id: u\n    user: {user: deploy, uid: '1050', groups: [www-data, adm], append:"
                + " yes, createhome: no, password: '{{ hash }}', update_password: on_create}\n");
    // then the step calls user with Ansible's names
    ModuleCall call = pb.steps().get(0).extras().module().orElseThrow();
    assertEquals("user", call.name());
    assertEquals(
        Map.of(
            "name",
            "deploy",
            "uid",
            1050,
            "groups",
            java.util.List.of("www-data", "adm"),
            "append",
            true,
            "create_home",
            false,
            "password",
            "{{ hash }}",
            "update_password",
            "on_create"),
        call.args());
  }

  @Test
  void userArgumentsWeDoNotRunAreRefusedByName() {
    // given each invalid use
    InputException keys = error("  - id: u\n    user: {name: d, generate_ssh_key: true}\n");
    InputException typo = error("  - id: u\n    user: {name: d, shel: /bin/sh}\n");
    InputException choice = error("  - id: u\n    user: {name: d, update_password: never}\n");
    InputException nameless = error("  - id: u\n    user: {shell: /bin/sh}\n");
    // then each says what is wrong, where, and what is supported
    assertTrue(keys.getMessage().contains("'generate_ssh_key' of user is not supported"));
    assertTrue(keys.hint().contains("update_password"), keys.hint());
    assertTrue(typo.getMessage().contains("pb.yml:3:21"), typo.getMessage());
    assertTrue(typo.hint().contains("did you mean 'shell'?"), typo.hint());
    assertTrue(choice.getMessage().contains("unknown update_password 'never'"));
    assertTrue(nameless.getMessage().contains("has no 'name'"));
  }
}
