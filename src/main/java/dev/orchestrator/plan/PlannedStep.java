package dev.orchestrator.plan;

import dev.orchestrator.playbook.Step;
import java.util.Map;
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
 * @param overrides variables this step runs with on top of the host's (a hop's value)
 * @param delegate where the step runs instead of its host ({@code delegate_to}, {@code
 *     local_action}); empty: on the host itself
 * @param onceOn for a {@code run_once} step that may run: the host of the batch that runs it for
 *     the batch ({@link RunOnce}); empty for any other step
 */
public record PlannedStep(
    Step step,
    Prediction prediction,
    String reason,
    Optional<String> command,
    int previousAttempts,
    boolean changed,
    Map<String, Object> overrides,
    Optional<PlannedDelegate> delegate,
    Optional<String> onceOn) {
  /** Validates the fields. */
  public PlannedStep {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(prediction, "prediction");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(command, "command");
    overrides = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(overrides));
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(onceOn, "onceOn");
  }

  /** A planned step that is not {@code run_once} (or not placed yet). */
  public PlannedStep(
      Step step,
      Prediction prediction,
      String reason,
      Optional<String> command,
      int previousAttempts,
      boolean changed,
      Map<String, Object> overrides,
      Optional<PlannedDelegate> delegate) {
    this(
        step,
        prediction,
        reason,
        command,
        previousAttempts,
        changed,
        overrides,
        delegate,
        Optional.empty());
  }

  /** A planned step run on its own host. */
  public PlannedStep(
      Step step,
      Prediction prediction,
      String reason,
      Optional<String> command,
      int previousAttempts,
      boolean changed,
      Map<String, Object> overrides) {
    this(step, prediction, reason, command, previousAttempts, changed, overrides, Optional.empty());
  }

  /** A planned step without variable overrides. */
  public PlannedStep(
      Step step,
      Prediction prediction,
      String reason,
      Optional<String> command,
      int previousAttempts,
      boolean changed) {
    this(step, prediction, reason, command, previousAttempts, changed, Map.of());
  }

  /** Returns a copy with these overrides. */
  public PlannedStep withOverrides(Map<String, Object> newOverrides) {
    return new PlannedStep(
        step,
        prediction,
        reason,
        command,
        previousAttempts,
        changed,
        newOverrides,
        delegate,
        onceOn);
  }

  /** Returns a copy that runs on {@code newDelegate}. */
  public PlannedStep withDelegate(Optional<PlannedDelegate> newDelegate) {
    return new PlannedStep(
        step,
        prediction,
        reason,
        command,
        previousAttempts,
        changed,
        overrides,
        newDelegate,
        onceOn);
  }

  /** Returns a copy run once for its batch, on {@code host} ({@code run_once}). */
  public PlannedStep runOnceOn(String host) {
    return new PlannedStep(
        step,
        prediction,
        reason,
        command,
        previousAttempts,
        changed,
        overrides,
        delegate,
        Optional.of(host));
  }
}
