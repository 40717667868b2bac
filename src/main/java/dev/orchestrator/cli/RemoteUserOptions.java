package dev.orchestrator.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * ansible-playbook's {@code -u}/{@code --user} and {@code --private-key}/{@code --key-file}: the
 * user and key where the inventory names none ({@link
 * dev.orchestrator.inventory.ConnectionDefaults}); and its privilege escalation options {@code
 * -b}/{@code --become}, {@code --become-user}, {@code --become-method}: defaults of an Ansible
 * play's {@code become*} keywords ({@link dev.orchestrator.common.Privilege}).
 */
final class RemoteUserOptions {
  @Option(
      names = {"-u", "--user"},
      paramLabel = "REMOTE_USER",
      description =
          "Connect as this user where the inventory sets no ansible_user (default: the local"
              + " user), as ansible-playbook's -u. A run keeps it for its resumes.")
  String remoteUser;

  @Option(
      names = {"--private-key", "--key-file"},
      paramLabel = "FILE",
      description =
          "Authenticate with this private key where the inventory sets no"
              + " ansible_ssh_private_key_file, as ansible-playbook's --private-key. A run keeps"
              + " its path for its resumes.")
  Path privateKey;

  @Option(
      names = {"-b", "--become"},
      description =
          "Ansible playbooks: tasks become another user (root by default) unless their play or"
              + " they say become: false, as ansible-playbook's -b. A run keeps it for its resumes.")
  boolean become;

  @Option(
      names = "--become-user",
      paramLabel = "USER",
      description =
          "Ansible playbooks: the user to become where the play names no become_user, as"
              + " ansible-playbook's --become-user.")
  String becomeUser;

  @Option(
      names = "--become-method",
      paramLabel = "METHOD",
      description =
          "Ansible playbooks: sudo or su, where the play names no become_method, as"
              + " ansible-playbook's --become-method.")
  String becomeMethod;

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  /** The privilege escalation options as given, for the service. */
  dev.orchestrator.common.Privilege privilege() {
    if (becomeMethod != null && !java.util.Set.of("sudo", "su").contains(becomeMethod)) {
      throw new picocli.CommandLine.ParameterException(
          mixee.commandLine(),
          "--become-method '"
              + dev.orchestrator.common.Echo.escaped(becomeMethod)
              + "' is not supported: use sudo or su");
    }
    if (becomeUser != null && becomeUser.isBlank()) {
      throw new picocli.CommandLine.ParameterException(
          mixee.commandLine(), "--become-user names no user");
    }
    return new dev.orchestrator.common.Privilege(
        become,
        java.util.Optional.ofNullable(becomeUser),
        java.util.Optional.ofNullable(becomeMethod));
  }

  /** The defaults as given, for the service. */
  dev.orchestrator.inventory.ConnectionDefaults defaults() {
    return new dev.orchestrator.inventory.ConnectionDefaults(
        java.util.Optional.ofNullable(remoteUser), java.util.Optional.ofNullable(privateKey));
  }
}
