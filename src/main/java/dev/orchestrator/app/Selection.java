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
 * @param startAtTask {@code --start-at-task}: the steps before the first one this name (or pattern)
 *     matches are skipped ({@link dev.orchestrator.plan.StartAtTask})
 */
public record Selection(
    List<String> tags,
    List<String> skipTags,
    boolean includeExpensive,
    java.util.Optional<String> startAtTask) {
  /** Copies the lists (null elements are refused). */
  public Selection {
    tags = List.copyOf(tags);
    skipTags = List.copyOf(skipTags);
    java.util.Objects.requireNonNull(startAtTask, "startAtTask");
  }

  /** A selection without {@code --start-at-task}. */
  public Selection(List<String> tags, List<String> skipTags, boolean includeExpensive) {
    this(tags, skipTags, includeExpensive, java.util.Optional.empty());
  }

  /** The selection a stored run started with. */
  static Selection of(dev.orchestrator.state.RunSpec spec) {
    return new Selection(spec.tags(), spec.skipTags(), spec.includeExpensive(), spec.startAtTask());
  }

  /** Every step but the expensive ones. */
  public static Selection all() {
    return new Selection(List.of(), List.of(), false);
  }

  /** Whether nothing was selected (a stored run's selection applies then). */
  boolean isDefault() {
    return tags.isEmpty() && skipTags.isEmpty() && !includeExpensive && startAtTask.isEmpty();
  }

  /** The plan options these select, with the steps to run again where they succeeded. */
  PlanOptions options(Set<String> rerun) {
    return new PlanOptions(tags, skipTags, includeExpensive, rerun, Map.of())
        .withStartAtTask(startAtTask);
  }
}
