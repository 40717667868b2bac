package dev.orchestrator.transport;

/** Opens connections to hosts. */
@FunctionalInterface
public interface Connector {
  /**
   * Opens a connection.
   *
   * @param host the inventory host name, for messages
   * @param spec how to reach it
   * @return the open connection
   * @throws TransportException if the host cannot be reached or refuses us
   */
  Connection open(String host, Endpoint spec) throws TransportException;
}
