package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.ConnectionType;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checks of a plan's connection settings that need no connection. */
final class ConnectionChecks {
  private ConnectionChecks() {}

  /**
   * Checks what can be checked before anything is written: every host with work to do has a
   * connection orchestrator implements, every SSH one a readable key file, when one is configured,
   * and every such host's {@code lease_path} is usable.
   *
   * @throws InputException naming the host and the file or connection
   */
  static void checkConnectionInputs(Plan plan) {
    for (PlannedHost h : plan.hosts().filter(PlannedHost::needsWork).toList()) {
      var c = h.host().connection();
      if (c.type() == ConnectionType.UNSUPPORTED) {
        throw new InputException(
            "host '"
                + h.host().name()
                + "' has connection '"
                + c.printablePlugin()
                + "', which orchestrator does not implement (only ssh and local); the run has"
                + " work on it",
            "leave it out of the run (--limit '!"
                + h.host().name()
                + "'), or set ansible_connection: ssh (or local) for it in the inventory");
      }
      dev.orchestrator.execute.HostLease.path(h.host().name(), h.host().vars());
      if (c.type() == ConnectionType.SSH
          && c.privateKeyFile().isPresent()
          && Files.exists(c.privateKeyFile().get())) {
        var notAKey =
            dev.orchestrator.transport.ssh.SshFiles.problem(
                c.privateKeyFile().get(), dev.orchestrator.transport.ssh.SshFiles.MAX_KEY_BYTES);
        if (notAKey.isPresent()) {
          throw new InputException(
              "host '"
                  + h.host().name()
                  + "': the private key file "
                  + c.privateKeyFile().get()
                  + " is refused: "
                  + notAKey.get(),
              "point private_key_file (or ansible_ssh_private_key_file) for this host at the"
                  + " key's file, e.g. ~/.ssh/id_ed25519");
        }
      }
      if (c.type() == ConnectionType.SSH
          && c.privateKeyFile().isPresent()
          && !Files.isReadable(c.privateKeyFile().get())) {
        throw new InputException(
            "host '"
                + h.host().name()
                + "': the private key file "
                + c.privateKeyFile().get()
                + " does not exist or is not readable",
            "fix private_key_file (or ansible_ssh_private_key_file) for this host in the inventory");
      }
      if (c.type() == ConnectionType.SSH && c.privateKeyFile().isPresent()) {
        Path key = c.privateKeyFile().get();
        try {
          var perms = Files.getPosixFilePermissions(key);
          perms.retainAll(
              java.util.EnumSet.complementOf(
                  java.util.EnumSet.of(
                      java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                      java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                      java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE)));
          if (!perms.isEmpty()) {
            throw new InputException(
                "host '"
                    + h.host().name()
                    + "': the private key file "
                    + key
                    + " is accessible by others ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(key))
                    + "); like OpenSSH, orchestrator refuses to use it",
                "restrict it to its owner: chmod 600 "
                    + dev.orchestrator.template.ShellQuote.quote(key.toString()));
          }
        } catch (UnsupportedOperationException | IOException e) {
          // No POSIX permissions here (or unreadable attributes): the key's readability was checked
          // above.
        }
      }
    }
  }
}
