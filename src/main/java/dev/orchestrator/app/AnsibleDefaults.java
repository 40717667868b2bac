package dev.orchestrator.app;

import dev.orchestrator.inventory.ConnectionSpec;
import dev.orchestrator.inventory.ConnectionType;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads playbooks and inventories with Ansible's configuration ({@link AnsibleConfig#current}) as
 * the defaults below what they set themselves, as Ansible applies it: {@code roles_path} after the
 * playbook's {@code roles/}; {@code remote_user} and {@code private_key_file} where a host's vars
 * set no {@code ansible_user}/{@code ansible_ssh_user}/{@code user}, no {@code
 * ansible_ssh_private_key_file}/{@code ansible_private_key_file}/{@code private_key_file} (host
 * vars beat the configuration:
 * https://docs.ansible.com/ansible/latest/reference_appendices/general_precedence.html); {@code
 * timeout} as {@code ansible_timeout} where a host's vars do not set it (a playbook's vars still
 * win). Every command that loads a run uses these, so a plan and its run agree.
 */
final class AnsibleDefaults {
  private static final List<String> USER_VARS = List.of("ansible_ssh_user", "ansible_user", "user");
  private static final List<String> KEY_VARS =
      List.of("ansible_ssh_private_key_file", "ansible_private_key_file", "private_key_file");

  private AnsibleDefaults() {}

  /**
   * Loads a playbook, roles looked for in {@code roles_path} too, an Ansible play's {@code become*}
   * keywords defaulting to {@code -b}, {@code --become-user}, {@code --become-method}.
   */
  static Playbook playbook(Path file, dev.orchestrator.common.Privilege privilege) {
    return new PlaybookLoader(AnsibleConfig.current().rolesPath(), privilege).load(file);
  }

  /**
   * Loads inventory sources for a run (or its plan, validation, an unlock) with the configuration's
   * connection defaults; a host reached through a jump host is refused.
   *
   * @throws dev.orchestrator.common.InputException on a bad inventory or a jump host
   */
  static Inventory inventory(List<Path> sources, Optional<Path> playbookDir) {
    Inventory inv = apply(InventoryLoader.load(sources, playbookDir), AnsibleConfig.current());
    refuseJumpHosts(inv);
    return inv;
  }

  /** Loads inventory sources to show them ({@code inventory}), with the connection defaults. */
  static Inventory shown(List<Path> sources) {
    return apply(InventoryLoader.load(sources), AnsibleConfig.current());
  }

  /**
   * The inventory with the configuration's defaults applied where its hosts set nothing.
   *
   * @param inventory as loaded
   * @param config the configuration
   */
  static Inventory apply(Inventory inventory, AnsibleConfig config) {
    Map<String, Host> hosts = new LinkedHashMap<>();
    inventory.hosts().forEach((name, h) -> hosts.put(name, apply(h, config)));
    return new Inventory(inventory.sources(), hosts, inventory.groups(), inventory.warnings());
  }

  private static Host apply(Host h, AnsibleConfig config) {
    ConnectionSpec c = h.connection();
    Map<String, Object> vars = h.vars();
    if (c.type() == ConnectionType.SSH) {
      String user = setIn(vars, USER_VARS) ? c.user() : config.remoteUser().orElse(c.user());
      Optional<Path> key =
          setIn(vars, KEY_VARS)
              ? c.privateKeyFile()
              : config.privateKeyFile().or(c::privateKeyFile);
      c = new ConnectionSpec(c.type(), c.address(), c.port(), user, key, c.plugin());
    }
    if (config.timeout().isPresent() && vars.get("ansible_timeout") == null) {
      vars = new LinkedHashMap<>(vars);
      vars.put("ansible_timeout", (long) config.timeout().getAsInt());
    }
    return new Host(h.name(), h.groups(), vars, c);
  }

  private static boolean setIn(Map<String, Object> vars, List<String> names) {
    return names.stream().anyMatch(n -> vars.get(n) != null);
  }

  /**
   * Refuses a host reached through a jump host ({@code -J}/{@code ProxyJump}): orchestrator cannot
   * reach a host through another yet.
   *
   * @throws dev.orchestrator.common.InputException naming the first such host and its jump host
   */
  static void refuseJumpHosts(Inventory inventory) {
    inventory.hosts().values().forEach(AnsibleDefaults::refuseJumpHost);
  }

  private static void refuseJumpHost(Host h) {
    Map<String, Object> vars = h.vars();
    java.util.Optional<String> jump = dev.orchestrator.inventory.SshArgs.jumpHost(vars);
    if (jump.isPresent()) {
      throw new dev.orchestrator.common.InputException(
          "host '"
              + h.name()
              + "' is reached through the jump host '"
              + jump.get()
              + "' (-J/ProxyJump in ansible_ssh_common_args or ansible_ssh_extra_args):"
              + " orchestrator cannot reach a host through another yet",
          "run orchestrator on a machine that reaches the host directly (e.g. on the jump host), or"
              + " remove -J/ProxyJump from the host's vars");
    }
  }
}
