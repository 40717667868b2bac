package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.inventory.ConnectionSpec;
import dev.orchestrator.inventory.ConnectionType;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The configuration's connection defaults sit below the inventory's connection vars. */
class AnsibleDefaultsTest {
  private static Host host(String name, Map<String, Object> vars, String user) {
    return new Host(
        name,
        List.of("all"),
        vars,
        new ConnectionSpec(ConnectionType.SSH, "10.0.0.1", 22, user, Optional.empty()));
  }

  private static AnsibleConfig config() {
    return new AnsibleConfig(
        Optional.of(Path.of("/p/ansible.cfg")),
        List.of(),
        Optional.of("deploy"),
        OptionalInt.empty(),
        Optional.of(Path.of("/keys/id")),
        Optional.empty(),
        List.of(),
        OptionalInt.of(25),
        List.of());
  }

  @Test
  void remoteUserKeyAndTimeoutApplyWhereTheHostSetsNone() {
    // given a host with no connection vars and one with ansible_user, a key and ansible_timeout
    Host bare = host("bare", Map.of(), "root");
    Host own =
        new Host(
            "own",
            List.of("all"),
            Map.of(
                "ansible_user",
                "ops",
                "ansible_ssh_private_key_file",
                "/own",
                "ansible_timeout",
                5),
            new ConnectionSpec(
                ConnectionType.SSH, "10.0.0.2", 22, "ops", Optional.of(Path.of("/own"))));
    Inventory inv =
        new Inventory(
            Path.of("hosts"),
            Map.of("bare", bare, "own", own),
            Map.of("all", List.of("bare", "own")));
    // when the configuration is applied
    Inventory out = AnsibleDefaults.apply(inv, config());
    // then the bare host takes the configuration's, the other keeps its own
    Host b = out.host("bare").orElseThrow();
    assertEquals("deploy", b.connection().user());
    assertEquals(Optional.of(Path.of("/keys/id")), b.connection().privateKeyFile());
    assertEquals(25L, b.vars().get("ansible_timeout"));
    Host o = out.host("own").orElseThrow();
    assertEquals("ops", o.connection().user());
    assertEquals(Optional.of(Path.of("/own")), o.connection().privateKeyFile());
    assertEquals(5, o.vars().get("ansible_timeout"));
  }

  @Test
  void nothingConfiguredChangesNothing() {
    // given a host; when no configuration is applied; then it is unchanged
    Host bare = host("bare", Map.of("x", 1), "root");
    Inventory inv = new Inventory(Path.of("hosts"), Map.of("bare", bare), Map.of());
    assertEquals(bare, AnsibleDefaults.apply(inv, AnsibleConfig.none()).host("bare").get());
  }

  @Test
  void aJumpHostIsRefusedNamingTheHostAndTheJump() {
    // given a host reached through a jump host
    Host far = host("far", Map.of("ansible_ssh_common_args", "-o ProxyJump=ops@bastion"), "root");
    Inventory inv = new Inventory(Path.of("hosts"), Map.of("far", far), Map.of());
    // when loaded for a run; then it is refused (exit 2), naming both
    dev.orchestrator.common.InputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.orchestrator.common.InputException.class,
            () -> AnsibleDefaults.refuseJumpHosts(inv));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("host 'far' is reached through the jump host 'ops@bastion'"),
        e.getMessage());
  }
}
