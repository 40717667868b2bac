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
 * The arguments of {@code haproxy}, {@code nagios}, {@code npm} and {@code seboolean} as the loader
 * reads them ({@link LampModuleArgs}), in our format and in Ansible's (k=v, FQCNs).
 */
class LampModuleArgsTest {
  @TempDir Path dir;

  private Playbook load(String steps) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, "steps:\n" + steps);
    return new PlaybookLoader().load(file);
  }

  private Playbook loadPlay(String tasks) throws IOException {
    Path file = dir.resolve("play.yml");
    Files.writeString(file, "- hosts: all\n  gather_facts: false\n  tasks:\n" + tasks);
    return new PlaybookLoader().load(file);
  }

  private InputException error(String steps) {
    return assertThrows(InputException.class, () -> load(steps));
  }

  @Test
  void readsTheRollingUpdatesTasksAsAnsibleWritesThem() throws IOException {
    // given the tasks of ansible-examples' lamp_haproxy/rolling_update.yml and friends, in k=v
    Playbook pb =
        loadPlay(
            "    - name: disable the server in haproxy\n"
                + "      haproxy: 'state=disabled backend=myapplb host={{ inventory_hostname }}"
                + " socket=/var/lib/haproxy/stats'\n"
                + "    - community.general.nagios: 'action=disable_alerts host={{ inventory_hostname }}"
                + " services=webserver'\n"
                + "    - npm: \"path=/opt/app\"\n"
                + "    - ansible.posix.seboolean: name=httpd_can_network_connect_db state=true"
                + " persistent=yes\n");
    // then each step calls the module with Ansible's argument names, booleans read
    var steps = pb.steps();
    assertEquals(
        new ModuleCall(
            "haproxy",
            Map.of(
                "state", "disabled",
                "backend", "myapplb",
                "host", "{{ inventory_hostname }}",
                "socket", "/var/lib/haproxy/stats")),
        steps.get(0).extras().module().orElseThrow());
    assertEquals(
        new ModuleCall(
            "nagios",
            Map.of(
                "action", "disable_alerts",
                "host", "{{ inventory_hostname }}",
                "services", "webserver")),
        steps.get(1).extras().module().orElseThrow());
    assertEquals(
        new ModuleCall("npm", Map.of("path", "/opt/app")),
        steps.get(2).extras().module().orElseThrow());
    assertEquals(
        new ModuleCall(
            "seboolean",
            Map.of("name", "httpd_can_network_connect_db", "state", true, "persistent", true)),
        steps.get(3).extras().module().orElseThrow());
  }

  @Test
  void anUnknownArgumentInAnAnsiblePlayIsAnErrorAtItsPlace() {
    // given a misspelt haproxy argument in an Ansible play
    InputException e =
        assertThrows(
            InputException.class,
            () -> loadPlay("    - haproxy: {state: disabled, host: web1, backnd: app}\n"));
    // then its file:line:column and the nearest name
    assertTrue(e.getMessage().contains("play.yml:4:"), e.getMessage());
    assertTrue(e.hint().contains("did you mean 'backend'?"), e.hint());
  }

  @Test
  void invalidArgumentsAreErrorsAtTheirPlace() {
    // given each invalid use
    InputException state = error("  - id: h\n    haproxy: {state: stopped, host: web1}\n");
    InputException hostless = error("  - id: h\n    haproxy: {state: enabled}\n");
    InputException action =
        error("  - id: n\n    nagios: {action: acknowledge, host: a, services: b}\n");
    InputException services = error("  - id: n\n    nagios: {action: disable_alerts, host: a}\n");
    InputException path = error("  - id: p\n    npm: {name: forever}\n");
    InputException absent = error("  - id: p\n    npm: {path: /srv, state: absent}\n");
    InputException seState = error("  - id: s\n    seboolean: {name: x}\n");
    InputException seBool = error("  - id: s\n    seboolean: {name: x, state: maybe}\n");
    // then each says what is wrong, where
    assertTrue(state.getMessage().contains("unknown state 'stopped'"), state.getMessage());
    assertTrue(state.getMessage().contains("pb.yml:3:"), state.getMessage());
    assertTrue(hostless.getMessage().contains("has no 'host'"), hostless.getMessage());
    assertTrue(
        action.getMessage().contains("nagios action 'acknowledge' is not supported"),
        action.getMessage());
    assertTrue(
        services.getMessage().contains("all of the following are missing: services"),
        services.getMessage());
    assertTrue(
        path.getMessage().contains("path must be specified when not using global"),
        path.getMessage());
    assertTrue(
        absent.getMessage().contains("only available for named packages"), absent.getMessage());
    assertTrue(seState.getMessage().contains("has no 'state'"), seState.getMessage());
    assertTrue(seBool.getMessage().contains("must be true or false"), seBool.getMessage());
  }

  @Test
  void templatedChoicesAreCheckedWhenTheyRender() throws IOException {
    // given a state from a variable
    Playbook pb = load("  - id: h\n    haproxy: {state: \"{{ lb_state }}\", host: web1}\n");
    // then it is kept for the run to render
    assertEquals(
        "{{ lb_state }}", pb.steps().get(0).extras().module().orElseThrow().args().get("state"));
  }
}
