package dev.orchestrator.plan;

import dev.orchestrator.playbook.Step;
import java.util.Objects;
import java.util.Optional;

/**
 * One step on one host, with its prediction.
 *
 * @param step the step
 * @param prediction what will happen
 * @param reason why (e.g. the checkpoint, the condition), or empty
 * @param command the rendered command when it is known before the run, else empty
 * @param previousAttempts attempts already made according to the checkpoints
 * @param changed whether the step's definition differs from the one its checkpoint recorded
 */
public record PlannedStep(
    Step step,
    Prediction prediction,
    String reason,
    Optional<String> command,
    int previousAttempts,
    boolean changed) {
  /** Validates the fields. */
  public PlannedStep {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(command, "command");
  }
}
