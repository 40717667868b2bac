package dev.orchestrator.inventory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to connect to one host, from its connection vars.
 *
 * @param type ssh or local
 * @param address host name or IP address to connect to ({@code ansible_host}/{@code host})
 * @param port TCP port, 1 to 65535 ({@code ansible_port}/{@code port})
 * @param user remote user ({@code ansible_user}/{@code user})
 * @param privateKeyFile the private key for public-key auth, if set ({@code private_key_file})
 */
public record ConnectionSpec(
    ConnectionType type, String address, int port, String user, Optional<Path> privateKeyFile) {
  /** Validates the fields. */
  public ConnectionSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
  }

  @Override
  public String toString() {
    return type == ConnectionType.LOCAL ? "local" : "ssh://" + user + "@" + address + ":" + port;
  }
}
