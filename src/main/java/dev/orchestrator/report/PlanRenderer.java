package dev.orchestrator.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedBatch;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStage;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import java.io.PrintStream;
import java.util.Locale;

/** Renders a {@link Plan} for {@code orchestrator plan}: as text, or as one JSON document. */
public final class PlanRenderer {
  private PlanRenderer() {}

  /** Writes the plan as indented text: stage → batch → host → steps with their predictions. */
  public static void text(Plan plan, PrintStream out) {
    out.printf(
        "plan for %s%s%n",
        plan.playbook().name(), plan.runId().map(r -> " against run " + r).orElse(""));
    for (PlannedStage stage : plan.stages()) {
      int hosts = stage.batches().stream().mapToInt(b -> b.hosts().size()).sum();
      out.printf(
          "%nstage %s (hosts: %s, serial: %s, max_fail_percentage: %d): %d host(s)%n",
          stage.stage().name(),
          stage.stage().hosts(),
          stage.stage().serial(),
          stage.stage().maxFailPercentage(),
          hosts);
      if (stage.batches().isEmpty()) {
        out.println("  (no hosts within --limit)");
      }
      for (PlannedBatch batch : stage.batches()) {
        out.printf("  batch %d/%d%n", batch.number(), stage.batches().size());
        for (PlannedHost host : batch.hosts()) {
          long work = host.steps().stream().filter(s -> s.prediction().needsWork()).count();
          out.printf(
              "    %s (%s): %s%n",
              host.host().name(),
              host.host().connection(),
              work == 0 ? "nothing to do" : work + " step(s) to run");
          for (PlannedStep step : host.steps()) {
            out.printf(
                "      %-10s %-24s %s%n",
                label(step.prediction()), step.step().id(), step.reason());
          }
        }
      }
    }
    if (!plan.playbook().rollback().isEmpty()) {
      out.printf(
          "%nrollback steps (run only on request): %s%n",
          String.join(", ", plan.playbook().rollback().stream().map(s -> s.id()).toList()));
    }
    long hostsWithWork = plan.hosts().filter(PlannedHost::needsWork).count();
    out.printf(
        "%n%d of %d host(s) have steps to run. Nothing was changed: plan opens no connection.%n",
        hostsWithWork, plan.hosts().count());
  }

  /** Writes the plan as one JSON document. */
  public static void json(Plan plan, PrintStream out) {
    ObjectNode root = JsonEventRenderer.MAPPER.createObjectNode();
    root.put("schema", Event.SCHEMA_VERSION);
    root.put("playbook", plan.playbook().name());
    root.put("run_id", plan.runId().orElse(null));
    ArrayNode stages = root.putArray("stages");
    for (PlannedStage stage : plan.stages()) {
      ObjectNode s = stages.addObject();
      s.put("name", stage.stage().name());
      s.put("hosts", stage.stage().hosts());
      s.put("serial", stage.stage().serial().toString());
      s.put("max_fail_percentage", stage.stage().maxFailPercentage());
      ArrayNode batches = s.putArray("batches");
      for (PlannedBatch batch : stage.batches()) {
        ObjectNode b = batches.addObject();
        b.put("number", batch.number());
        ArrayNode hosts = b.putArray("hosts");
        for (PlannedHost host : batch.hosts()) {
          ObjectNode h = hosts.addObject();
          h.put("name", host.host().name());
          h.put("connection", host.host().connection().toString());
          ArrayNode steps = h.putArray("steps");
          for (PlannedStep step : host.steps()) {
            ObjectNode st = steps.addObject();
            st.put("id", step.step().id());
            st.put("prediction", step.prediction().name().toLowerCase(Locale.ROOT));
            st.put("reason", step.reason());
            st.put("previous_attempts", step.previousAttempts());
          }
        }
      }
    }
    try {
      out.println(
          JsonEventRenderer.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the plan", e);
    }
  }

  private static String label(Prediction p) {
    return switch (p) {
      case DONE -> "done";
      case SKIPPED -> "skipped";
      case RUN -> "run";
      case RETRY -> "retry";
      case RERUN -> "rerun";
      case SKIP -> "skip";
      case DECIDED_AT_RUN_TIME -> "run?";
    };
  }
}
