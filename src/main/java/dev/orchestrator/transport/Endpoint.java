package dev.orchestrator.transport;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one host: the transport's own value, so that the transport knows nothing of
 * inventories (the executor maps an inventory host's connection vars to it).
 *
 * @param kind over SSH or on the controller itself
 * @param address host name or IP address to connect to
 * @param port TCP port, 1 to 65535
 * @param user remote user
 * @param privateKeyFile the private key for public-key auth, if set (else the user's default keys)
 */
public record Endpoint(
    Endpoint.Kind kind, String address, int port, String user, Optional<Path> privateKeyFile) {
  /** How the controller reaches the host. */
  public enum Kind {
    /** Over SSH. */
    SSH,
    /** On the controller itself, without SSH. */
    LOCAL
  }

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException if the port is not 1 to 65535
   */
  public Endpoint {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
  }

  /** {@code local}, or {@code ssh://USER@ADDRESS:PORT} (as messages name the host's address). */
  @Override
  public String toString() {
    return kind == Kind.LOCAL ? "local" : "ssh://" + user + "@" + address + ":" + port;
  }
}
