package dev.orchestrator.app;

import dev.orchestrator.playbook.Handlers;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Step;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The steps an operator may name on the command line ({@code resume --skip-step}, {@code
 * --assume-done}, {@code --rerun}, {@code --rerun-step}): the playbook's steps, its rollback steps
 * where a decision may name them, and every run of its handlers by the id the plan and the console
 * show ({@code HANDLER.FLUSH} at a {@code meta: flush_handlers} step, {@code HANDLER} at the end, a
 * role's {@code ROLE.ID}; README "Handlers").
 */
final class OperatorStepIds {
  private OperatorStepIds() {}

  /**
   * Returns the playbook step (or handler run) a command-line id names by its base id ({@link
   * Step#baseIdOf}), or empty when the id is malformed or names nothing.
   *
   * @param withRollback whether rollback steps may be named
   */
  static Optional<Step> named(Playbook playbook, String engineId, boolean withRollback) {
    if (!Step.ENGINE_ID.matcher(engineId).matches()) {
      return Optional.empty();
    }
    String base = Step.baseIdOf(engineId);
    return Stream.of(
            playbook.steps().stream(),
            withRollback ? playbook.rollback().stream() : Stream.<Step>empty(),
            Handlers.runs(playbook).stream())
        .flatMap(s -> s)
        .filter(s -> s.id().equals(base))
        .findFirst();
  }

  /** Returns the hint listing the ids there are: the steps', then the handler runs'. */
  static String hint(Playbook playbook) {
    List<String> runs = Handlers.runs(playbook).stream().map(Step::id).toList();
    return "step ids are: "
        + String.join(", ", playbook.steps().stream().map(Step::id).toList())
        + (runs.isEmpty() ? "" : "; handler runs: " + String.join(", ", runs));
  }
}
