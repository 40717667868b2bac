package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Inventory;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The hosts {@code --limit} keeps, for the plan and for the listings that show its hosts. */
public final class LimitedHosts {
  private LimitedHosts() {}

  /**
   * Returns the names of the hosts within {@code limit}; empty when there is no limit.
   *
   * @throws InputException when the limit cannot be read or matches no host
   */
  public static Optional<Set<String>> of(Inventory inventory, Optional<String> limit) {
    if (limit.isEmpty()) {
      return Optional.empty();
    }
    Set<String> out = new HashSet<>();
    inventory.select(limit.get()).forEach(h -> out.add(h.name()));
    if (out.isEmpty()) {
      throw new InputException(
          "--limit '" + limit.get() + "' matches no host of " + inventory.describe(),
          "list the hosts with: orchestrator inventory " + inventory.inventoryOptions());
    }
    return Optional.of(out);
  }
}
