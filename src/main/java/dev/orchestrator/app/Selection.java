package dev.orchestrator.app;

import dev.orchestrator.plan.PlanOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which steps a run selects: by tag, and whether expensive steps are included.
 *
 * @param tags only steps with one of these tags (and {@code always}); empty: every step
 * @param skipTags never steps with one of these tags
 * @param includeExpensive whether steps marked {@code expensive: true} run
 */
public record Selection(List<String> tags, List<String> skipTags, boolean includeExpensive) {
  /** Copies the lists (null elements are refused). */
  public Selection {
    tags = List.copyOf(tags);
    skipTags = List.copyOf(skipTags);
  }

  /** Every step but the expensive ones. */
  public static Selection all() {
    return new Selection(List.of(), List.of(), false);
  }

  /** Whether nothing was selected (a stored run's selection applies then). */
  boolean isDefault() {
    return tags.isEmpty() && skipTags.isEmpty() && !includeExpensive;
  }

  /** The plan options these select, with the steps to run again where they succeeded. */
  PlanOptions options(Set<String> rerun) {
    return new PlanOptions(tags, skipTags, includeExpensive, rerun, Map.of());
  }
}
