package dev.orchestrator.app;

import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import java.util.List;
import java.util.Objects;

/**
 * An inventory and the hosts a pattern selects in it ({@link Orchestrator#inventory}).
 *
 * @param inventory the inventory (its groups)
 * @param hosts the hosts selected, in inventory order
 */
public record InventoryView(Inventory inventory, List<Host> hosts) {
  /** Validates and copies the fields. */
  public InventoryView {
    Objects.requireNonNull(inventory, "inventory");
    hosts = List.copyOf(hosts);
  }
}
