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

  /** Returns whether any step still needs work. */
  public boolean needsWork() {
    return steps.stream().anyMatch(s -> s.prediction().needsWork());
  }
}
