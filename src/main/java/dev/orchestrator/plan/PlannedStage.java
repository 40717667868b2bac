package dev.orchestrator.plan;

import dev.orchestrator.playbook.Stage;
import java.util.List;
import java.util.Objects;

/**
 * One stage with its batches.
 *
 * @param stage the stage
 * @param gatesBefore the gates the rollout waits for before this stage starts
 * @param batches its batches, in order; empty when {@code --limit} leaves it no hosts
 */
public record PlannedStage(Stage stage, List<PlannedGate> gatesBefore, List<PlannedBatch> batches) {
  /** Validates the fields. */
  public PlannedStage {
    Objects.requireNonNull(stage, "stage");
    gatesBefore = List.copyOf(gatesBefore);
    batches = List.copyOf(batches);
  }
}
