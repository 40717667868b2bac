package dev.orchestrator.transport;

import java.util.Objects;

/** Chooses the connector by the host's {@code connection} var: {@code ssh} or {@code local}. */
public final class RoutingConnector implements Connector {
  private final Connector ssh;
  private final Connector local;

  /**
   * Creates a router.
   *
   * @param ssh the connector for {@code connection: ssh}
   * @param local the connector for {@code connection: local}
   */
  public RoutingConnector(Connector ssh, Connector local) {
    this.ssh = Objects.requireNonNull(ssh);
    this.local = Objects.requireNonNull(local);
  }

  @Override
  public Connection open(String host, Endpoint spec) throws TransportException {
    return spec.kind() == Endpoint.Kind.LOCAL ? local.open(host, spec) : ssh.open(host, spec);
  }
}
