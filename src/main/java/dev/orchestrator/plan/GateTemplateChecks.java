package dev.orchestrator.plan;

import dev.orchestrator.common.Durations;
import dev.orchestrator.common.InputException;
import dev.orchestrator.playbook.Gate;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import java.util.List;
import java.util.Map;

/**
 * Renders every template of the gates still to pass as the run will (approval text and wait time
 * with the run's vars, health url, json and shell with the vars of each host the check will run
 * on), so that an undefined variable or a bad duration is reported before anything runs rather than
 * found by a gate that then waits out its whole timeout.
 */
final class GateTemplateChecks {
  private final TemplateEngine templates;

  /** Checks with the run's template engine (its errors mask the run's secrets). */
  GateTemplateChecks(TemplateEngine templates) {
    this.templates = templates;
  }

  /**
   * Checks the gates of the stages that have hosts.
   *
   * @throws InputException naming the gate's place ({@code file:line:column}), stage, field and
   *     host
   */
  void check(Playbook playbook, List<PlannedStage> stages, Map<String, ?> extraVars, String runId) {
    // As RunExecutor#execute: the playbook and extra vars, then run_id.
    Map<String, Object> runVars = playbook.varsBelowInventory();
    runVars.putAll(playbook.varsAboveInventory(extraVars));
    runVars.putAll(extraVars);
    runVars.put("run_id", runId);
    List<PlannedHost> previous = List.of();
    for (PlannedStage stage : stages) {
      List<PlannedHost> hosts = stage.batches().stream().flatMap(b -> b.hosts().stream()).toList();
      if (hosts.isEmpty()) {
        continue; // the run skips the stage and its gates
      }
      for (PlannedGate g : stage.gatesBefore()) {
        checkGate(stage, g, previous, runVars);
      }
      for (PlannedBatch b : stage.batches()) {
        for (PlannedGate g : b.gatesAfter()) {
          checkGate(stage, g, b.hosts(), runVars);
        }
      }
      previous = hosts;
    }
  }

  private void checkGate(
      PlannedStage stage,
      PlannedGate planned,
      List<PlannedHost> hosts,
      Map<String, Object> runVars) {
    if (planned.open()) {
      return;
    }
    Gate gate = planned.gate();
    String where = gate.location() + ": stage '" + stage.stage().name() + "', ";
    if (gate instanceof Gate.Approval a) {
      render(where + "approval text: ", a.message(), runVars, false);
    } else if (gate instanceof Gate.Wait w) {
      String rendered = render(where + "wait: ", w.duration(), runVars, false);
      try {
        Durations.parse(rendered);
      } catch (IllegalArgumentException e) {
        throw new InputException(
            where + "wait '" + w.duration() + "' gives " + e.getMessage(),
            "make the wait a duration such as 10m, or a variable that holds one");
      }
    } else if (gate instanceof Gate.Health h) {
      for (PlannedHost host : hosts) {
        String on = ", on host '" + host.host().name() + "': ";
        Map<String, Object> vars = host.vars();
        h.url().ifPresent(u -> render(where + "health url" + on, u, vars, false));
        h.shell().ifPresent(sh -> render(where + "health shell" + on, sh, vars, true));
        h.json()
            .forEach(
                (k, v) -> {
                  if (v instanceof String text) {
                    render(where + "health json." + k + on, text, vars, false);
                  }
                });
      }
    }
  }

  /**
   * Renders a gate's template as the gate will; a failure becomes an input error at {@code where}.
   */
  private String render(String where, String template, Map<String, Object> vars, boolean shell) {
    try {
      return shell
          ? templates.renderShell(template, vars).text()
          : templates.render(template, vars);
    } catch (TemplateException e) {
      throw TemplateErrors.inputError(where, e);
    }
  }
}
