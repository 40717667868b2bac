package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.Suggestions;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Step;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's selection of steps: {@code --tags}, {@code --skip-tags} and {@code
 * --include-expensive}. Refuses a selection that names an unknown tag or selects nothing, and says
 * why a step is not selected.
 */
final class TagSelection {
  private TagSelection() {}

  /**
   * Refuses {@code --tags}/{@code --skip-tags} values that no step has ({@code all} aside), and
   * {@code --tags} that select no step at all: a run that "succeeds" having done nothing hides a
   * typo.
   *
   * @throws InputException naming the tag and listing the playbook's tags
   */
  static void check(Playbook playbook, PlanOptions options) {
    if (options.tags().isEmpty() && options.skipTags().isEmpty()) {
      return;
    }
    Set<String> known = new TreeSet<>();
    playbook.steps().forEach(s -> known.addAll(s.traits().tags()));
    String knownList =
        known.isEmpty()
            ? "the playbook's steps have no tags"
            : "the playbook's tags: " + String.join(", ", known);
    for (List<String> given : List.of(options.tags(), options.skipTags())) {
      String option = given == options.tags() ? "--tags" : "--skip-tags";
      for (String t : given) {
        if (!t.equals("all") && !known.contains(t)) {
          List<String> near = Suggestions.near(t, known, 3);
          throw new InputException(
              option + " '" + t + "': no step of " + playbook.file() + " has this tag",
              (near.isEmpty() ? "" : "did you mean " + String.join(", ", near) + "? ") + knownList);
        }
      }
    }
    if (!options.tags().isEmpty()
        && playbook.steps().stream()
            .noneMatch(s -> s.traits().selected(options.tags(), options.skipTags()))) {
      throw new InputException(
          "--tags "
              + String.join(",", options.tags())
              + (options.skipTags().isEmpty()
                  ? ""
                  : " --skip-tags " + String.join(",", options.skipTags()))
              + " select no step of "
              + playbook.file(),
          knownList + "; a step tagged 'never' runs only when --tags names it");
    }
  }

  /**
   * Returns why the operator's selection leaves {@code step} out ({@link Prediction#NOT_SELECTED}'s
   * reason), or empty when it is selected.
   */
  static Optional<String> notSelected(Step step, PlanOptions options) {
    if (step.extras().handler()) {
      return Optional.empty(); // as Ansible: a notified handler runs whatever --tags says
    }
    if (!step.traits().selected(options.tags(), options.skipTags())) {
      return Optional.of("not selected by --tags/--skip-tags");
    }
    if (step.traits().expensive() && !options.includeExpensive()) {
      return Optional.of("expensive: runs only with --include-expensive");
    }
    return Optional.empty();
  }
}
