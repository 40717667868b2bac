package dev.orchestrator.inventory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * ansible-playbook's {@code -u USER} and {@code --private-key FILE}: the defaults of the connection
 * user and key, below every inventory variable. In Ansible they set the {@code remote_user} and
 * {@code private_key_file} options, which the connection variables {@code ansible_user} and {@code
 * ansible_ssh_private_key_file} (or {@code ansible_private_key_file}) override
 * (https://docs.ansible.com/ansible/latest/reference_appendices/general_precedence.html: variables
 * win over command-line options; checked with ansible-playbook 2.14: a host with {@code
 * ansible_user} in the inventory connects as it whatever {@code -u} says). Without {@code -u}, the
 * user is the local user, as Ansible's.
 *
 * @param remoteUser {@code -u}: the user where the inventory names none
 * @param privateKey {@code --private-key}: the key where the inventory names none, absolute
 */
public record ConnectionDefaults(Optional<String> remoteUser, Optional<Path> privateKey) {
  /** No {@code -u}, no {@code --private-key}. */
  public static final ConnectionDefaults NONE =
      new ConnectionDefaults(Optional.empty(), Optional.empty());

  private static final List<String> USER_VARS = List.of("ansible_ssh_user", "ansible_user", "user");
  private static final List<String> KEY_VARS =
      List.of("ansible_ssh_private_key_file", "ansible_private_key_file", "private_key_file");

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException for a blank user
   */
  public ConnectionDefaults {
    Objects.requireNonNull(remoteUser, "remoteUser");
    privateKey = privateKey.map(p -> p.toAbsolutePath().normalize());
    remoteUser.ifPresent(
        u -> {
          if (u.isBlank()) {
            throw new IllegalArgumentException("-u names no user");
          }
        });
  }

  /**
   * The inventory with these defaults applied to every host whose variables set no user (no key).
   *
   * @param inventory as loaded
   * @return the same hosts, their connections completed
   */
  public Inventory applyTo(Inventory inventory) {
    if (equals(NONE)) {
      return inventory;
    }
    Map<String, Host> hosts = new LinkedHashMap<>();
    inventory
        .hosts()
        .forEach(
            (name, h) -> {
              ConnectionSpec c = h.connection();
              String user = remoteUser.filter(u -> !sets(h, USER_VARS)).orElse(c.user());
              Optional<Path> key =
                  sets(h, KEY_VARS) ? c.privateKeyFile() : privateKey.or(c::privateKeyFile);
              hosts.put(
                  name,
                  new Host(
                      name,
                      h.groups(),
                      h.vars(),
                      new ConnectionSpec(c.type(), c.address(), c.port(), user, key, c.plugin())));
            });
    return new Inventory(inventory.sources(), hosts, inventory.groups(), inventory.warnings());
  }

  private static boolean sets(Host h, List<String> names) {
    return names.stream().anyMatch(n -> h.vars().get(n) != null);
  }
}
