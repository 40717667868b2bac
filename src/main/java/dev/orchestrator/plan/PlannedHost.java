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
 */
public record PlannedHost(Host host, Map<String, Object> vars, List<PlannedStep> steps) {
  /** Validates the fields. */
  public PlannedHost {
    Objects.requireNonNull(host, "host");
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    steps = List.copyOf(steps);
  }

  /** Returns whether any step still needs work. */
  public boolean needsWork() {
    return steps.stream().anyMatch(s -> s.prediction().needsWork());
  }
}
