package dev.orchestrator.plan;

import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.IncludedVars;
import dev.orchestrator.playbook.ModuleCall;
import dev.orchestrator.template.RegisteredResult;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code plan} predicts of an {@code include_vars} step (<a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/include_vars_module.html">include_vars</a>):
 * the vars of a file read at load join the host's vars for the steps after it (known when the step
 * will run, known at run time when it may not); a templated file name is rendered with what the
 * plan knows, and when it depends on a value only the run has (a gathered fact), the preview says
 * the file is decided at run and the names any file of the {@code vars/} folders may set are known
 * at run time only ({@link IncludedVars#possibleNames}).
 */
final class IncludeVarsPlanning {
  private IncludeVarsPlanning() {}

  /**
   * Refines the prediction of an {@code include_vars} step that will (or may) run and puts the vars
   * it includes into {@code vars}.
   */
  @SuppressWarnings("unchecked")
  static PlannedStep predict(
      TemplateEngine templates,
      PlannedStep p,
      Host host,
      ModuleCall call,
      Map<String, Object> scope,
      Map<String, Object> vars,
      Set<String> pending,
      Set<String> later) {
    if (p.step().extras().delegateFacts()) {
      return p; // the delegate's facts
    }
    boolean known = p.prediction() == Prediction.RUN;
    Map<String, Object> args = call.args();
    Map<String, Object> included;
    if (args.get("_vars") instanceof Map<?, ?> loaded) {
      included = (Map<String, Object>) loaded;
    } else {
      String file = String.valueOf(args.get("file"));
      try {
        String rendered = templates.render(file, scope);
        included = IncludedVars.resolve(args, rendered).getValue();
      } catch (TemplateException e) {
        RunTimeValues.check(e, p.step(), host, "include_vars.file", pending, later);
        IncludedVars.possibleNames(args)
            .forEach(n -> vars.put(n, RegisteredResult.unknownValue(n)));
        if (args.get("name") instanceof String name) {
          vars.put(name, RegisteredResult.unknownValue(name));
        }
        return preview(p, "include_vars " + file + " (the file is decided at run)");
      } catch (IllegalArgumentException e) {
        return known
            ? new PlannedStep(
                p.step(),
                Prediction.PAUSE,
                e.getMessage(),
                p.command(),
                p.previousAttempts(),
                p.changed())
            : p;
      }
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    if (args.get("name") instanceof String name) {
      facts.put(name, included);
    } else {
      facts.putAll(included);
    }
    facts.forEach((k, v) -> vars.put(k, known ? v : RegisteredResult.unknownValue(k)));
    return p;
  }

  private static PlannedStep preview(PlannedStep p, String text) {
    return new PlannedStep(
        p.step(),
        p.prediction(),
        p.reason(),
        p.command().map(c -> text),
        p.previousAttempts(),
        p.changed(),
        p.overrides());
  }
}
