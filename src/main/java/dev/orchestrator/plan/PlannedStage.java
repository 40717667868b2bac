package dev.orchestrator.plan;

import dev.orchestrator.playbook.Stage;
import java.util.List;
import java.util.Objects;

/**
 * One stage with its batches.
 *
 * @param stage the stage
 * @param batches its batches, in order; empty when {@code --limit} leaves it no hosts
 */
public record PlannedStage(Stage stage, List<PlannedBatch> batches) {
  /** Validates the fields. */
  public PlannedStage {
    Objects.requireNonNull(stage, "stage");
    batches = List.copyOf(batches);
  }
}
