package dev.orchestrator.inventory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to connect to one host, from its connection vars.
 *
 * @param type ssh, local, or a plugin orchestrator does not implement
 * @param address host name or IP address to connect to ({@code ansible_host}/{@code host})
 * @param port TCP port, 1 to 65535 ({@code ansible_port}/{@code port})
 * @param user remote user ({@code ansible_user}/{@code user})
 * @param privateKeyFile the private key for public-key auth, if set ({@code private_key_file})
 * @param plugin the connection as the inventory names it ({@code ansible_connection}: {@code ssh},
 *     {@code smart}, {@code paramiko}, {@code local}, {@code docker}...), not blank
 */
public record ConnectionSpec(
    ConnectionType type,
    String address,
    int port,
    String user,
    Optional<Path> privateKeyFile,
    String plugin) {
  /** Validates the fields. */
  public ConnectionSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(plugin, "plugin");
    if (plugin.isBlank()) {
      throw new IllegalArgumentException("the connection plugin's name is blank");
    }
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
  }

  /**
   * A connection of type SSH or LOCAL, named {@code ssh} or {@code local}.
   *
   * @throws IllegalArgumentException for {@link ConnectionType#UNSUPPORTED}, which needs its name
   */
  public ConnectionSpec(
      ConnectionType type, String address, int port, String user, Optional<Path> privateKeyFile) {
    this(type, address, port, user, privateKeyFile, name(type));
  }

  private static String name(ConnectionType type) {
    return switch (type) {
      case SSH -> "ssh";
      case LOCAL -> "local";
      case UNSUPPORTED ->
          throw new IllegalArgumentException("an unsupported connection needs its plugin's name");
    };
  }

  @Override
  public String toString() {
    return switch (type) {
      case LOCAL -> "local";
      case SSH -> "ssh://" + user + "@" + address + ":" + port;
      case UNSUPPORTED -> printable(plugin) + " (not supported)";
    };
  }

  /** The plugin's name with control characters shown as '?', for messages. */
  public String printablePlugin() {
    return printable(plugin);
  }

  private static String printable(String text) {
    return text.replaceAll("\\p{Cc}", "?");
  }
}
