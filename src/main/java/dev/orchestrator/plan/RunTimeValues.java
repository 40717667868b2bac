package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.RegisteredResult;
import dev.orchestrator.template.TemplateException;
import java.util.Set;

/**
 * Decides, for a template the planner could not render, whether the missing value is one the run
 * provides (a value registered by an earlier step, a gathered fact) or an error to report before
 * anything runs, with the step's place and a hint (README "Playbook reference": an undefined
 * variable is an error, a value only a {@code register} provides is planned {@code run?}).
 */
final class RunTimeValues {
  private RunTimeValues() {}

  /** Returns true when the undefined variable will be registered at run time; throws otherwise. */
  static boolean check(
      TemplateException e,
      Step step,
      Host host,
      String field,
      Set<String> pending,
      Set<String> later) {
    if (e.knownAtRunTime()) {
      return true;
    }
    String root = e.undefinedRoot().orElse(null);
    String where =
        step.location()
            + ": step '"
            + step.id()
            + "', "
            + field
            + ", on host '"
            + host.name()
            + "': ";
    if (root != null && later.contains(root)) {
      throw new InputException(
          where + "'" + root + "' is registered by a later step",
          "move the step that registers '" + root + "' before step '" + step.id() + "'");
    }
    if (root != null && pending.contains(root)) {
      throw new InputException(
          where
              + "'"
              + e.undefinedVariable().orElse(root)
              + "' is not a field of a registered result",
          "a registered result has "
              + String.join(", ", RegisteredResult.FIELDS.keySet())
              + " (README, register)");
    }
    throw TemplateErrors.inputError(where, e);
  }
}
