package dev.orchestrator.plan;

import java.util.List;

/**
 * One batch of a stage (Ansible's {@code serial}).
 *
 * @param number 1-based number within the stage
 * @param hosts its hosts, in inventory order
 * @param gatesAfter the gates between this batch and the next (none after the last batch)
 */
public record PlannedBatch(int number, List<PlannedHost> hosts, List<PlannedGate> gatesAfter) {
  /** Validates the fields. */
  public PlannedBatch {
    if (number < 1) {
      throw new IllegalArgumentException("batch numbers are 1-based");
    }
    hosts = List.copyOf(hosts);
    gatesAfter = List.copyOf(gatesAfter);
  }
}
