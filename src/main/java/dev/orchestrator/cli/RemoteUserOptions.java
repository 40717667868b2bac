package dev.orchestrator.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * ansible-playbook's {@code -u}/{@code --user} and {@code --private-key}/{@code --key-file}: the
 * user and key where the inventory names none ({@link
 * dev.orchestrator.inventory.ConnectionDefaults}).
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

  /** The defaults as given, for the service. */
  dev.orchestrator.inventory.ConnectionDefaults defaults() {
    return new dev.orchestrator.inventory.ConnectionDefaults(
        java.util.Optional.ofNullable(remoteUser), java.util.Optional.ofNullable(privateKey));
  }
}
