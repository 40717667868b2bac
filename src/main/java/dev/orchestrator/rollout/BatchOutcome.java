package dev.orchestrator.rollout;

import java.util.Objects;

/**
 * What happened to one batch's hosts in this invocation, counted by how their pipelines ended.
 *
 * @param stage the stage's name
 * @param batch the batch's 1-based number within the stage
 * @param batchSize every host of the batch, including those already done and those held back
 * @param done hosts whose steps all finished now
 * @param paused hosts paused at a failed step
 * @param unreachable hosts that could not be reached (or whose connection was lost)
 * @param refused hosts whose lease another run holds
 */
public record BatchOutcome(
    String stage, int batch, int batchSize, int done, int paused, int unreachable, int refused) {
  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException on a negative count, a batch number below 1, or more hosts
   *     counted than the batch has
   */
  public BatchOutcome {
    Objects.requireNonNull(stage, "stage");
    if (batch < 1) {
      throw new IllegalArgumentException("batch numbers are 1-based, got " + batch);
    }
    if (done < 0 || paused < 0 || unreachable < 0 || refused < 0) {
      throw new IllegalArgumentException("host counts must not be negative");
    }
    if (done + paused + unreachable + refused > batchSize) {
      throw new IllegalArgumentException(
          "more hosts counted ("
              + (done + paused + unreachable + refused)
              + ") than the batch has ("
              + batchSize
              + ")");
    }
  }

  /** Returns the hosts that count against the failure budget: paused, unreachable or refused. */
  public int failed() {
    return paused + unreachable + refused;
  }
}
