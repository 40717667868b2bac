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
 * The arguments of {@code service}, {@code systemd} and {@code systemd_service} as the loader reads
 * them ({@link ServiceModuleArgs}): Ansible's names, aliases and choices; everything else an error
 * at its {@code file:line:column}.
 */
class ServiceModuleArgsTest {
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
  void readsTheModulesWithAliasesUnderTheArgumentsOwnNames() throws IOException {
    // given the three modules, with aliases and Ansible's boolean spellings
    Playbook pb =
        load(
            """
              - id: s
                service: {name: nginx, state: started, enabled: yes}
              - id: d
                systemd: {unit: "{{ unit }}", state: restarted, daemon-reload: true}
              - id: ds
                systemd_service: {service: app, enabled: 'no', scope: user, no_block: true}
            """);
    // then each step calls its module with the arguments under their own names
    Map<String, ModuleCall> calls = new java.util.LinkedHashMap<>();
    pb.steps().forEach(s -> calls.put(s.id(), s.extras().module().orElseThrow()));
    assertEquals(
        Map.of("name", "nginx", "state", "started", "enabled", true), calls.get("s").args());
    assertEquals(
        Map.of("name", "{{ unit }}", "state", "restarted", "daemon_reload", true),
        calls.get("d").args());
    assertEquals(
        Map.of("name", "app", "enabled", false, "scope", "user", "no_block", true),
        calls.get("ds").args());
    assertEquals("systemd_service", calls.get("ds").name());
  }

  @Test
  void anUnknownArgumentIsAnErrorAtItsPlaceNamingTheSupportedOnes() {
    // given a misspelt argument
    InputException e =
        error(
            """
              - id: d
                systemd: {name: app, stat: started}
            """);
    // then the error points at it and names what is supported
    assertTrue(e.getMessage().contains("pb.yml:3:26"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown key 'stat'"), e.getMessage());
    assertTrue(e.hint().contains("did you mean 'state'?"), e.hint());
    assertTrue(e.hint().contains("daemon_reload, enabled, force"), e.hint());
  }

  @Test
  void invalidArgumentsAreErrorsAtTheirPlace() {
    // given each invalid use
    InputException state = error("  - id: d\n    systemd: {name: app, state: running}\n");
    InputException none = error("  - id: d\n    systemd: {name: app}\n");
    InputException nameless = error("  - id: d\n    systemd: {state: started}\n");
    InputException twice = error("  - id: d\n    systemd: {name: a, unit: b, state: started}\n");
    InputException bool = error("  - id: d\n    service: {name: a, enabled: maybe}\n");
    InputException pattern =
        error("  - id: d\n    service: {name: a, state: started, pattern: x}\n");
    InputException noName = error("  - id: d\n    service: {state: started}\n");
    // then each says what is wrong and where
    assertTrue(state.getMessage().contains("unknown state 'running'"), state.getMessage());
    assertTrue(state.hint().contains("reloaded, restarted, started, stopped"), state.hint());
    assertTrue(none.getMessage().contains("needs one of: state, enabled"), none.getMessage());
    assertTrue(nameless.getMessage().contains("'state' needs 'name'"), nameless.getMessage());
    assertTrue(twice.getMessage().contains("has both 'name' and 'unit'"), twice.getMessage());
    assertTrue(bool.getMessage().contains("must be true or false"), bool.getMessage());
    assertTrue(pattern.getMessage().contains("pb.yml:3:40"), pattern.getMessage());
    assertTrue(pattern.getMessage().contains("'pattern' of service is not supported"));
    assertTrue(noName.getMessage().contains("has no 'name'"), noName.getMessage());
  }
}
