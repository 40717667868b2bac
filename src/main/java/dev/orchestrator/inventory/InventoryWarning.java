package dev.orchestrator.inventory;

import dev.orchestrator.common.SourceLocation;
import java.util.Objects;

/**
 * Something in an inventory that Ansible accepts with a warning, or ignores, and that orchestrator
 * reads the same way while saying so: e.g. an unknown key in a YAML group, a host range that
 * expands to no host. Loading goes on; the caller shows the warnings ({@link Inventory#warnings}).
 *
 * @param location where, as {@code file:line:column}
 * @param message what was found and what Ansible does with it
 */
public record InventoryWarning(SourceLocation location, String message) {
  /** Validates the fields. */
  public InventoryWarning {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
    if (message.isBlank()) {
      throw new IllegalArgumentException("a warning says something");
    }
  }

  /** {@code file:line:column: message}, as shown to users. */
  @Override
  public String toString() {
    return location + ": " + message;
  }
}
