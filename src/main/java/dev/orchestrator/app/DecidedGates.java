package dev.orchestrator.app;

import java.util.List;

/**
 * The approval gates a decision was recorded for ({@link Orchestrator#decide}).
 *
 * @param gates each gate's key and description, in plan order; never empty
 */
public record DecidedGates(List<Gate> gates) {
  /** Copies the list. */
  public DecidedGates {
    gates = List.copyOf(gates);
    if (gates.isEmpty()) {
      throw new IllegalArgumentException("a decision is about at least one gate");
    }
  }

  /**
   * One gate.
   *
   * @param key its key in the run ({@code before:STAGE} or {@code after:STAGE:BATCH})
   * @param description what it asks
   */
  public record Gate(String key, String description) {}
}
