package dev.orchestrator.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.common.Echo;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlannedBatch;
import dev.orchestrator.plan.PlannedGate;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStage;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.Gate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Plan} for {@code orchestrator plan}: a step × host matrix per stage and batch
 * with the gates in between, or one JSON document (schema {@link Event#SCHEMA_VERSION}, documented
 * in the README).
 */
public final class PlanRenderer {
  /** Hosts per matrix row block. */
  private static final int COLUMNS = 8;

  private PlanRenderer() {}

  /** Returns the cell label of a prediction (also the JSON value, upper-cased words aside). */
  public static String label(Prediction p) {
    return switch (p) {
      case DONE -> "done";
      case SKIPPED -> "skipped";
      case RUN -> "run";
      case RETRY -> "retry";
      case RERUN -> "rerun";
      case SKIP -> "skip";
      case DECIDED_AT_RUN_TIME -> "run?";
      case NOT_SELECTED -> "-";
      case IN_DOUBT -> "doubt";
      case PAUSE -> "pause";
      case NOT_REACHED -> "blocked";
    };
  }

  /**
   * Writes the plan as text.
   *
   * @param plan the plan
   * @param probed whether {@code --check} probes informed it
   * @param out where to write
   */
  public static void text(Plan plan, boolean probed, java.io.PrintWriter out) {
    text(plan, probed, out, (p, t) -> t);
  }

  /** Colours a cell: the CLI passes a terminal-aware implementation; plain text by default. */
  @FunctionalInterface
  public interface Colors {
    /** Returns {@code text} (a cell for prediction {@code p}) with colour codes, or as it is. */
    String paint(Prediction p, String text);
  }

  /**
   * Writes the plan as text, colouring cells.
   *
   * @param plan the plan
   * @param probed whether {@code --check} probes informed it
   * @param out where to write
   * @param colors how to colour a cell
   */
  public static void text(Plan plan, boolean probed, java.io.PrintWriter out, Colors colors) {
    out.printf(
        "plan for %s%s%s%n",
        shown(plan.playbook().name()),
        plan.runId().map(r -> " against run " + shown(r)).orElse(""),
        probed ? " (with read-only probes: --check)" : "");
    out.println(
        "cells: run = will run · run? = cannot preview (decided on the host at run time) · skip = will skip"
            + " · done/skipped = checkpoint · retry = failed, runs again · rerun = interrupted, runs again · - = not selected"
            + " · * = definition changed since it ran"
            + (probed
                ? " · pause = its probe failed: the host pauses there · blocked = not reached"
                : ""));
    startAt(plan, out);
    String gatedBy = null;
    for (PlannedStage stage : plan.stages()) {
      int hosts = stage.batches().stream().mapToInt(b -> b.hosts().size()).sum();
      out.printf(
          "%nstage %s: %d host(s); hosts: %s, serial: %s, max_fail_percentage: %d%s%n",
          shown(stage.stage().name()),
          hosts,
          shown(stage.stage().hosts()),
          stage.stage().serial(),
          stage.stage().maxFailPercentage(),
          stage.stage().anyErrorsFatal() ? ", any_errors_fatal" : "");
      for (PlannedGate g : stage.gatesBefore()) {
        out.printf("  gate before stage %s: %s%n", shown(stage.stage().name()), gate(g));
        gatedBy = g.open() || gatedBy != null ? gatedBy : g.key() + " (" + kind(g.gate()) + ")";
      }
      if (stage.batches().isEmpty()) {
        out.println("  (no hosts: its hosts are outside --limit, or its group is empty)");
      }
      for (PlannedBatch batch : stage.batches()) {
        out.printf(
            "  batch %d/%d: %d host(s)%s%n",
            batch.number(),
            stage.batches().size(),
            batch.hosts().size(),
            gatedBy == null ? "" : " — gated: waits behind " + shown(gatedBy));
        matrix(plan, batch, out, colors);
        pauses(batch, out);
        for (PlannedGate g : batch.gatesAfter()) {
          out.printf("  gate after batch %d: %s%n", batch.number(), gate(g));
          gatedBy = g.open() || gatedBy != null ? gatedBy : g.key() + " (" + kind(g.gate()) + ")";
        }
      }
    }
    if (!plan.playbook().rollback().isEmpty()) {
      out.printf(
          "%nrollback steps (run by 'abort --rollback' only): %s%n",
          shown(String.join(", ", plan.playbook().rollback().stream().map(s -> s.id()).toList())));
    }
    if (!plan.heldBack().isEmpty()) {
      out.printf(
          "%%nheld back by --retry-failed (left as they are; the run stays paused until a plain"
              + " resume): %s%%n",
          shown(
              String.join(
                  ", ", plan.hostOrder().stream().filter(plan.heldBack()::contains).toList())));
    }
    long steps =
        plan.hosts()
            .filter(h -> !plan.heldBack(h))
            .flatMap(h -> h.steps().stream())
            .filter(s -> s.prediction().mayRun())
            .count();
    // a host in several plays of an Ansible playbook is counted once
    long hostsWithWork =
        plan.hosts().filter(plan::worksOn).map(h -> h.host().name()).distinct().count();
    out.printf(
        "%n%d step run(s) on %d of %d host(s). Nothing was changed.%n",
        steps, hostsWithWork, plan.hostOrder().size());
  }

  private static void matrix(
      Plan plan, PlannedBatch batch, java.io.PrintWriter out, Colors colors) {
    List<PlannedHost> hosts = batch.hosts();
    if (hosts.isEmpty()) {
      return;
    }
    List<String> rows = PlanRows.ids(hosts);
    java.util.function.Function<PlannedHost, String> name = h -> shown(h.host().name());
    List<java.util.Map<String, PlannedStep>> all = hosts.stream().map(PlanRows::byId).toList();
    int stepWidth =
        Math.max(6, rows.stream().mapToInt(id -> shown(id).length() + 1).max().orElse(4)) + 2;
    for (int from = 0; from < hosts.size(); from += COLUMNS) {
      List<PlannedHost> block = hosts.subList(from, Math.min(hosts.size(), from + COLUMNS));
      List<Integer> widths = new ArrayList<>();
      StringBuilder header = new StringBuilder(String.format("    %-" + stepWidth + "s", "step"));
      StringBuilder state = new StringBuilder(String.format("    %-" + stepWidth + "s", "(host)"));
      for (PlannedHost h : block) {
        int cells = h.steps().stream().mapToInt(p -> cell(p).length()).max().orElse(0);
        int w = Math.max(Math.max(name.apply(h).length(), 7), cells) + 2;
        widths.add(w);
        header.append(String.format("%-" + w + "s", name.apply(h)));
        state.append(String.format("%-" + w + "s", hostState(plan, h)));
      }
      out.println(header.toString().stripTrailing());
      out.println(state.toString().stripTrailing());
      List<java.util.Map<String, PlannedStep>> cells = block.stream().map(PlanRows::byId).toList();
      for (String rowId : rows) {
        PlannedStep first = PlanRows.any(all, rowId).orElseThrow();
        String id = shown(rowId) + (first.step().traits().deferred() ? "~" : "");
        StringBuilder row = new StringBuilder(String.format("    %-" + stepWidth + "s", id));
        for (int c = 0; c < block.size(); c++) {
          PlannedStep cell = cells.get(c).get(rowId);
          if (cell == null) {
            // this host has no such step (its loop's items or hops differ)
            row.append(" ".repeat(widths.get(c)));
            continue;
          }
          String text = cell(cell);
          String padded = String.format("%-" + widths.get(c) + "s", text);
          row.append(colors.paint(cell.prediction(), text)).append(padded.substring(text.length()));
        }
        out.println(row.toString().stripTrailing());
      }
    }
  }

  /**
   * A cell of the matrix: the prediction, {@code *} when the step's definition changed, and for a
   * delegated step that may run, its delegate ({@code run → lb1}; {@code → ?} when the run decides
   * it), and for a {@code run_once} step that may run, the host that runs it for the batch ({@code
   * run once on web1}).
   */
  private static String cell(PlannedStep cell) {
    return shown(cellText(cell));
  }

  /** A cell's text as the plan holds it, before {@link #shown}. */
  private static String cellText(PlannedStep cell) {
    return label(cell.prediction())
        + (cell.changed() ? "*" : "")
        + cell.delegate()
            .filter(d -> cell.prediction().mayRun())
            .map(d -> " → " + d.label())
            .orElse("")
        + cell.onceOn()
            .filter(h -> cell.prediction().mayRun())
            .map(h -> " once on " + h)
            .orElse("");
  }

  /** Names the steps {@code --start-at-task} skips, when it skips any. */
  private static void startAt(Plan plan, java.io.PrintWriter out) {
    java.util.Set<String> skipped = new java.util.LinkedHashSet<>();
    plan.stages().stream()
        .flatMap(st -> st.batches().stream())
        .flatMap(b -> b.hosts().stream())
        .flatMap(h -> h.steps().stream())
        .filter(dev.orchestrator.plan.StartAtTask::skipped)
        .forEach(s -> skipped.add(s.step().id()));
    if (!skipped.isEmpty()) {
      out.printf(
          "%s (recorded as skipped): %s%n",
          dev.orchestrator.plan.StartAtTask.REASON, shown(String.join(", ", skipped)));
    }
  }

  /** Names, per host of the batch, the step it is predicted to pause at and the message. */
  private static void pauses(PlannedBatch batch, java.io.PrintWriter out) {
    for (PlannedHost h : batch.hosts()) {
      h.steps().stream()
          .filter(s -> s.prediction() == Prediction.PAUSE)
          .findFirst()
          .ifPresent(
              s ->
                  out.printf(
                      "    %s will pause at %s: %s%n",
                      shown(h.host().name()), shown(s.step().id()), shown(s.reason())));
    }
  }

  /** The host's state as the plan shows it: {@code held} when {@code --retry-failed} holds it. */
  private static String hostState(Plan plan, PlannedHost h) {
    if (plan.heldBack(h)) {
      return "held";
    }
    if (h.steps().stream().anyMatch(s -> s.prediction() == Prediction.RETRY)) {
      return "paused";
    }
    if (h.steps().stream()
        .anyMatch(
            s -> s.prediction() == Prediction.RERUN || s.prediction() == Prediction.IN_DOUBT)) {
      return "stale";
    }
    if (!h.needsWork()) {
      return "done";
    }
    return h.steps().stream()
            .anyMatch(
                s -> s.prediction() == Prediction.DONE || s.prediction() == Prediction.SKIPPED)
        ? "partial"
        : "pending";
  }

  private static String kind(Gate g) {
    if (g instanceof Gate.Approval) {
      return "approval";
    }
    return g instanceof Gate.Wait ? "wait" : "health";
  }

  private static String gate(PlannedGate g) {
    return shown(gateText(g));
  }

  /**
   * A value from a playbook, an inventory or a host as the plan prints it: control characters
   * escaped ({@link Echo#escaped}), so that a stage or host name cannot drive the terminal.
   */
  private static String shown(String value) {
    return Echo.escaped(value);
  }

  private static String gateText(PlannedGate g) {
    String what = g.gate().describe();
    return switch (g.state()) {
      case PASSED, APPROVED ->
          what + " — " + g.state().label() + (g.message().isEmpty() ? "" : ": " + g.message());
      case WAITING ->
          what
              + " — WAITING"
              + (g.gate() instanceof Gate.Approval ? " for 'orchestrator approve'" : "")
              + (g.message().isEmpty() ? "" : ": " + g.message());
      case FAILED -> what + " — FAILED, checked again on resume: " + g.message();
      case PENDING, REJECTED ->
          what
              + " — "
              + (g.gate() instanceof Gate.Approval
                  ? "will pause for 'orchestrator approve'"
                  : "will be checked");
    };
  }

  /** Writes the plan as one JSON document. */
  public static void json(Plan plan, boolean probed, java.io.PrintWriter out) {
    ObjectNode root = JsonEventRenderer.MAPPER.createObjectNode();
    root.put("schema", Event.SCHEMA_VERSION);
    root.put("playbook", plan.playbook().name());
    root.put("run_id", plan.runId().orElse(null));
    root.put("probed", probed);
    ArrayNode held = root.putArray("held_back");
    plan.hostOrder().stream().filter(plan.heldBack()::contains).forEach(held::add);
    ArrayNode stages = root.putArray("stages");
    for (PlannedStage stage : plan.stages()) {
      ObjectNode s = stages.addObject();
      s.put("name", stage.stage().name());
      s.put("hosts", stage.stage().hosts());
      s.put("serial", stage.stage().serial().toString());
      s.put("max_fail_percentage", stage.stage().maxFailPercentage());
      s.put("any_errors_fatal", stage.stage().anyErrorsFatal());
      gates(s.putArray("gates_before"), stage.gatesBefore());
      ArrayNode batches = s.putArray("batches");
      for (PlannedBatch batch : stage.batches()) {
        ObjectNode b = batches.addObject();
        b.put("number", batch.number());
        ArrayNode hosts = b.putArray("hosts");
        for (PlannedHost host : batch.hosts()) {
          ObjectNode h = hosts.addObject();
          h.put("name", host.host().name());
          h.put("connection", host.host().connection().toString());
          h.put("state", hostState(plan, host));
          h.put("held_back", plan.heldBack(host));
          ArrayNode steps = h.putArray("steps");
          for (PlannedStep step : host.steps()) {
            ObjectNode st = steps.addObject();
            st.put("id", step.step().id());
            st.put("prediction", step.prediction().name().toLowerCase(Locale.ROOT));
            st.put("will_run", step.prediction().mayRun());
            st.put("deferred", step.step().traits().deferred());
            st.put("changed", step.changed());
            st.put("reason", step.reason());
            st.put("previous_attempts", step.previousAttempts());
            step.delegate().ifPresent(d -> st.put("delegate_to", d.label()));
            step.onceOn().ifPresent(o -> st.put("run_once_on", o));
          }
        }
        gates(b.putArray("gates_after"), batch.gatesAfter());
      }
    }
    try {
      out.println(
          JsonEventRenderer.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the plan", e);
    }
  }

  private static void gates(ArrayNode into, List<PlannedGate> gates) {
    for (PlannedGate g : gates) {
      ObjectNode n = into.addObject();
      n.put("key", g.key());
      n.put("type", kind(g.gate()));
      n.put("description", g.gate().describe());
      n.put("state", g.state().label());
      n.put("message", g.message());
    }
  }
}
