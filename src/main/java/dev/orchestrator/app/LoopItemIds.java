package dev.orchestrator.app;

import dev.orchestrator.common.Echo;
import dev.orchestrator.common.InputException;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.playbook.Loop;
import dev.orchestrator.playbook.Step;
import java.util.List;
import java.util.Set;

/**
 * Step ids that an operator gives {@code resume} ({@code --skip-step}, {@code --assume-done},
 * {@code --rerun}) for one item of a loop, {@code ID[LABEL]} or {@code ID@HOP[LABEL]}: the step the
 * engine checkpoints under that id, and the check that the item exists on the host (it has a
 * checkpoint, or the plan lists it), so that a mistyped label is refused instead of recording a
 * decision about nothing.
 */
final class LoopItemIds {
  private LoopItemIds() {}

  /**
   * Returns the engine's step for an id given on the command line: the playbook step, for its hop
   * ({@code @HOP}) and its item ({@code [LABEL]}).
   *
   * @param playbookStep the playbook step the id's base names
   * @param engineId the id, of the form {@link Step#ENGINE_ID}
   */
  static Step engineStep(Step playbookStep, String engineId) {
    Step step = playbookStep;
    int bracket = engineId.indexOf('[');
    String hopPart = bracket < 0 ? engineId : engineId.substring(0, bracket);
    int at = hopPart.indexOf('@');
    if (at >= 0) {
      step = step.forHop(hopPart.substring(at + 1));
    }
    if (bracket >= 0) {
      String label = engineId.substring(bracket + 1, engineId.length() - 1);
      Loop loop =
          step.extras()
              .loop()
              .orElseThrow(
                  () ->
                      new InputException(
                          "step '"
                              + playbookStep.id()
                              + "' has no loop, so "
                              + Echo.quote(engineId)
                              + " names no item",
                          "give the step id without [LABEL]"));
      step = step.forItem(new Loop.Item(step.id(), 0, 1, label, loop));
    }
    return step;
  }

  /**
   * Refuses an item id that has no checkpoint on the host and that the run's plan does not list
   * there (a list decided at run time lists no item before it runs).
   */
  static void refuseUnknownItem(LoadedRun run, String host, String itemId, String option) {
    List<String> items =
        run.plan(Set.of())
            .hosts()
            .filter(h -> h.host().name().equals(host))
            .map(PlannedHost::steps)
            .flatMap(List::stream)
            .map(PlannedStep::step)
            .filter(s -> s.extras().item().isPresent())
            .map(Step::id)
            .toList();
    if (!items.contains(itemId)) {
      throw new InputException(
          option + ": host " + host + " has no loop item " + Echo.quote(itemId),
          items.isEmpty()
              ? "the loop's items are known once it runs; 'status RUN_ID' shows the ids"
              : "its items are: " + String.join(", ", items));
    }
  }
}
