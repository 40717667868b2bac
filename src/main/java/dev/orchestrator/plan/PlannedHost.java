package dev.orchestrator.plan;

import dev.orchestrator.inventory.Host;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One host of a batch: its variables and its steps, in order.
 *
 * @param host the host
 * @param vars the template variables (playbook vars, inventory vars, extra vars, magic vars and the
 *     values registered by steps that are already done)
 * @param steps every step of the pipeline with its prediction
 * @param rollbackOnFailure the rollback steps to run at once when a step in {@code rollbackAfter}
 *     fails ({@code rollback_on_failure: true}); empty otherwise
 * @param rollbackAfter the (playbook) ids of the steps from the {@code rollback_from} mark on
 */
public record PlannedHost(
    Host host,
    Map<String, Object> vars,
    List<PlannedStep> steps,
    List<PlannedStep> rollbackOnFailure,
    java.util.Set<String> rollbackAfter) {
  /** Validates the fields. */
  public PlannedHost {
    Objects.requireNonNull(host, "host");
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    steps = List.copyOf(steps);
    rollbackOnFailure = List.copyOf(rollbackOnFailure);
    rollbackAfter = java.util.Set.copyOf(rollbackAfter);
  }

  /** A host without rollback on failure. */
  public PlannedHost(Host host, Map<String, Object> vars, List<PlannedStep> steps) {
    this(host, vars, steps, List.of(), java.util.Set.of());
  }

  /**
   * Returns whether a {@code rollback_on_failure} rollback of this host is under way: it started
   * and did not complete (a rollback step failed, or the controller stopped during it). Such a host
   * finishes its rollback before anything else, and then stays paused as rolled back (README,
   * "Failure and recovery"). A completed rollback resets its steps to pending, planned {@link
   * Prediction#RUN}; any other prediction of a rollback step comes from its checkpoint.
   */
  public boolean rollbackUnderWay() {
    return rollbackOnFailure.stream().anyMatch(s -> s.prediction() != Prediction.RUN);
  }

  /** Returns whether any step still needs work (or a rollback is under way). */
  public boolean needsWork() {
    return rollbackUnderWay() || steps.stream().anyMatch(s -> s.prediction().needsWork());
  }
}
