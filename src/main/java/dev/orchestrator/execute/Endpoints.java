package dev.orchestrator.execute;

import dev.orchestrator.inventory.ConnectionSpec;
import dev.orchestrator.inventory.ConnectionType;
import dev.orchestrator.transport.Endpoint;

/**
 * Maps an inventory host's connection vars to the transport's {@link Endpoint}: the one place where
 * the inventory's vocabulary meets the transport's (ArchitectureTest: transport does not depend on
 * inventory).
 */
public final class Endpoints {
  private Endpoints() {}

  /** Returns how to reach the host {@code spec} describes. */
  public static Endpoint of(ConnectionSpec spec) {
    return new Endpoint(
        spec.type() == ConnectionType.LOCAL ? Endpoint.Kind.LOCAL : Endpoint.Kind.SSH,
        spec.address(),
        spec.port(),
        spec.user(),
        spec.privateKeyFile());
  }
}
