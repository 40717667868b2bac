package dev.orchestrator.plan;

import dev.orchestrator.common.InputException;
import dev.orchestrator.template.TemplateException;

/** The input error for a template that cannot be rendered, for steps and gates alike. */
final class TemplateErrors {
  private TemplateErrors() {}

  /**
   * Returns the input error for {@code e} at {@code where}: for an undefined variable, the ways to
   * define it; else the template's message and hint.
   *
   * @param where the place, ending in {@code ": "}
   */
  static InputException inputError(String where, TemplateException e) {
    String root = e.undefinedRoot().orElse(null);
    if (e.undefinedVariable().isPresent()) {
      return new InputException(
          where + "undefined variable '" + e.undefinedVariable().get() + "'",
          "define it in the playbook's vars, the inventory (group or host vars) or with -e "
              + root
              + "=VALUE, or write {{ "
              + e.undefinedVariable().get()
              + " | default('...') }}");
    }
    return new InputException(where + e.getMessage(), e.hint().orElse("fix the template syntax"));
  }
}
