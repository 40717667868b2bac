package dev.orchestrator.execute;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.ConnectionSpec;
import dev.orchestrator.transport.Endpoint;

/**
 * Maps an inventory host's connection vars to the transport's {@link Endpoint}: the one place where
 * the inventory's vocabulary meets the transport's (ArchitectureTest: transport does not depend on
 * inventory).
 */
public final class Endpoints {
  private Endpoints() {}

  /**
   * Returns how to reach the host {@code spec} describes.
   *
   * @throws InputException for a connection orchestrator does not implement (a run refuses such a
   *     host before it starts: {@code ConnectionChecks}; this is the last guard)
   */
  public static Endpoint of(ConnectionSpec spec) {
    Endpoint.Kind kind =
        switch (spec.type()) {
          case LOCAL -> Endpoint.Kind.LOCAL;
          case SSH -> Endpoint.Kind.SSH;
          case UNSUPPORTED ->
              throw new InputException(
                  "the connection '"
                      + spec.printablePlugin()
                      + "' is not implemented by orchestrator (only ssh and local)",
                  "set ansible_connection: ssh (or local) for the host, or leave it out with"
                      + " --limit");
        };
    return new Endpoint(kind, spec.address(), spec.port(), spec.user(), spec.privateKeyFile());
  }
}
