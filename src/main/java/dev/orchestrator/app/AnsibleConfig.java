package dev.orchestrator.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The settings of Ansible's configuration ({@code ansible.cfg} and the {@code ANSIBLE_*}
 * environment variables, the environment winning) that orchestrator honours, read by {@link
 * AnsibleConfigReader} as https://docs.ansible.com/ansible/latest/reference_appendices/config.html
 * describes. The command line wins over all of them; the inventory's connection vars ({@code
 * ansible_user}, {@code ansible_ssh_private_key_file}) win over {@link #remoteUser} and {@link
 * #privateKeyFile}, as in Ansible.
 *
 * @param file the {@code ansible.cfg} read, if one was found
 * @param inventories {@code [defaults] inventory} / {@code ANSIBLE_INVENTORY}: the inventory
 *     sources, {@code ~} expanded, relative ones resolved against the file's folder (the current
 *     folder for the environment variable)
 * @param remoteUser {@code remote_user} / {@code ANSIBLE_REMOTE_USER}
 * @param forks {@code forks} / {@code ANSIBLE_FORKS}, at least 1
 * @param privateKeyFile {@code private_key_file} / {@code ANSIBLE_PRIVATE_KEY_FILE}
 * @param hostKeyChecking {@code host_key_checking} / {@code ANSIBLE_HOST_KEY_CHECKING}
 * @param rolesPath {@code roles_path} / {@code ANSIBLE_ROLES_PATH}: where roles are looked for
 *     after the playbook's own {@code roles/}, in order
 * @param timeout {@code timeout} / {@code ANSIBLE_TIMEOUT}: seconds, at least 1
 * @param warnings what was read but is ignored, each said once, in file order
 */
public record AnsibleConfig(
    Optional<Path> file,
    List<Path> inventories,
    Optional<String> remoteUser,
    OptionalInt forks,
    Optional<Path> privateKeyFile,
    Optional<Boolean> hostKeyChecking,
    List<Path> rolesPath,
    OptionalInt timeout,
    List<String> warnings) {
  /** Validates and copies the fields. */
  public AnsibleConfig {
    Objects.requireNonNull(file, "file");
    inventories = List.copyOf(inventories);
    Objects.requireNonNull(remoteUser, "remoteUser");
    Objects.requireNonNull(forks, "forks");
    if (forks.isPresent() && forks.getAsInt() < 1) {
      throw new IllegalArgumentException("forks must be at least 1, got " + forks.getAsInt());
    }
    Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    Objects.requireNonNull(hostKeyChecking, "hostKeyChecking");
    rolesPath = List.copyOf(rolesPath);
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isPresent() && timeout.getAsInt() < 1) {
      throw new IllegalArgumentException("timeout must be at least 1, got " + timeout.getAsInt());
    }
    warnings = List.copyOf(warnings);
  }

  /** No file, no environment: nothing set. */
  public static AnsibleConfig none() {
    return new AnsibleConfig(
        Optional.empty(),
        List.of(),
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        OptionalInt.empty(),
        List.of());
  }

  /**
   * The configuration of this process: {@code ANSIBLE_CONFIG}, the current folder, the home folder,
   * {@code /etc/ansible}, read as {@link AnsibleConfigReader#read} does.
   *
   * @throws dev.orchestrator.common.InputException for a file that cannot be read or is malformed,
   *     naming its {@code file:line}
   */
  public static AnsibleConfig current() {
    return AnsibleConfigReader.read(
        System.getenv(),
        Path.of("").toAbsolutePath(),
        Path.of(System.getProperty("user.home")),
        Path.of("/etc/ansible/ansible.cfg"));
  }

  /**
   * Whether new host keys are accepted: {@code host_key_checking = False} maps onto {@code
   * --accept-new-host-keys} (a changed key is still refused, unlike Ansible, which then accepts any
   * key).
   */
  public boolean acceptNewHostKeys() {
    return hostKeyChecking.map(b -> !b).orElse(false);
  }
}
