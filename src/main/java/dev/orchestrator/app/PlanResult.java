package dev.orchestrator.app;

import dev.orchestrator.plan.Plan;
import java.util.Map;
import java.util.Objects;

/**
 * A plan as {@link Orchestrator#plan} made it.
 *
 * @param plan the plan
 * @param probed whether read-only probes refined it
 * @param unreachable the hosts that could not be probed, with why
 * @param warnings what the inventory holds that Ansible reads with a warning ({@code file:line:
 *     what}), for the caller to show
 */
public record PlanResult(
    Plan plan, boolean probed, Map<String, String> unreachable, java.util.List<String> warnings) {
  /** Validates and copies the fields. */
  public PlanResult {
    Objects.requireNonNull(plan, "plan");
    unreachable = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unreachable));
    warnings = java.util.List.copyOf(warnings);
  }
}
