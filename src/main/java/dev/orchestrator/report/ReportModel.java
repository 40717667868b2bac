package dev.orchestrator.report;

import dev.orchestrator.common.Durations;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the run report shows, folded from a run's typed events ({@link EventJson#read}): the run's
 * status, its hosts' rows, the step attempts on the timeline, stage and batch marks, gate waits.
 * {@link #page} turns it into the values the template {@code report/templates/report.peb} prints
 * (positions already computed, every text still raw: the template escapes it).
 */
final class ReportModel {
  /** The lane's least width in CSS pixels: label placement is computed for it. */
  static final int LANE_MIN_PX = 720;

  /** An upper bound of a label character's width: 11px monospace is 0.6em ≈ 6.6px. */
  static final double LABEL_CHAR_PX = 7;

  /** Horizontal space between two labels on one level, and between a mark and its label. */
  static final int LABEL_GAP_PX = 8;

  /** Height of a level of labels. */
  static final int LABEL_LEVEL_PX = 15;

  /** The name column grows with the longest host name up to this many characters. */
  static final int MAX_NAME_CHARS = 48;

  /** The timeline's legend: the outcomes a bar is coloured by. */
  static final List<String> LEGEND =
      List.of("ok", "changed", "skipped", "ignored", "retrying", "failed", "lost", "running");

  /** One step attempt on the timeline; {@code status} is its CSS class suffix and its words. */
  private record Bar(
      String host,
      String step,
      int attempt,
      Instant start,
      Instant end,
      String status,
      String log) {}

  /** A vertical mark: a stage or batch start, or an operator's action. */
  record Mark(Instant at, String label, boolean stage) {}

  /** A gate's wait, from waiting to its outcome (null: still waiting). */
  private record Wait(Instant from, Instant to, String gate) {}

  /**
   * A mark's label placed on the axis: its level (0 = top) and whether it sits left of its mark
   * (near the right edge).
   */
  record Label(Mark mark, int level, boolean leftOfMark, double fromPx, double toPx) {}

  /** A host's row in the table. */
  private static final class HostRow {
    String stage = "";
    int batch;
    boolean reached; // in a batch that started, or worked on
    String state = "pending";
    String step = "";
    String message = "";
    int ok;
    int changed;
    int skipped;
    int failed;
  }

  private String playbook = "";
  private RunStatus status = RunStatus.RUNNING;
  private String reason = "";
  private String next = "";
  private Instant first;
  private Instant last;
  private Map<String, HostRow> hosts = new LinkedHashMap<>();
  private final Map<String, Bar> open = new LinkedHashMap<>();
  private final List<Bar> bars = new ArrayList<>();
  private final List<Mark> marks = new ArrayList<>();
  private final List<Wait> waits = new ArrayList<>();
  private final Map<String, Instant> waiting = new LinkedHashMap<>();
  private final Set<String> inventoryOrder = new LinkedHashSet<>();
  private String stage = "";
  private int invocations;

  private ReportModel() {}

  /** Folds a run's events, in the order they were recorded. */
  static ReportModel of(List<Event> events) {
    ReportModel m = new ReportModel();
    events.forEach(m::add);
    m.finish();
    return m;
  }

  private HostRow row(String host) {
    return hosts.computeIfAbsent(host, k -> new HostRow());
  }

  private void add(Event e) {
    Instant at = e.at();
    first = first == null || at.isBefore(first) ? at : first;
    last = last == null || at.isAfter(last) ? at : last;
    if (e instanceof Event.RunStarted s) {
      playbook = s.playbook();
      invocations++;
      inventoryOrder.addAll(s.hostNames());
    } else if (e instanceof Event.StageStarted s) {
      stage = s.stage();
      marks.add(new Mark(at, "stage " + stage, true));
    } else if (e instanceof Event.BatchStarted b) {
      marks.add(new Mark(at, stage + " batch " + b.batch(), false));
      for (String h : b.hosts()) {
        HostRow row = row(h);
        row.stage = stage;
        row.batch = b.batch();
        row.reached = true;
      }
    } else if (e instanceof Event.StepStarted s) {
      reached(s.host()).state = "running";
      open.put(s.host(), new Bar(s.host(), s.step(), s.attempt(), at, at, "running", ""));
    } else if (e instanceof Event.StepFinished f) {
      stepFinished(f);
    } else if (e instanceof Event.StepProgress p) {
      reached(p.host());
    } else if (e instanceof Event.StepWarning w) {
      reached(w.host()); // artifacts and rollout pauses are not on the report
    } else if (e instanceof Event.HostFinished h) {
      HostRow row = reached(h.host());
      row.state = h.state().label();
      row.step = h.step();
      row.message = h.message();
      Bar started = open.remove(h.host());
      if (started != null) {
        bars.add(
            new Bar(h.host(), started.step(), started.attempt(), started.start(), at, "lost", ""));
      }
    } else if (e instanceof Event.GateEvaluated g) {
      if (g.state() == GateState.WAITING) {
        waiting.putIfAbsent(g.gate(), at);
      } else if (waiting.containsKey(g.gate())) {
        waits.add(new Wait(waiting.remove(g.gate()), at, g.gate()));
      }
    } else if (e instanceof Event.OperatorAction a) {
      // who approved, resumed or aborted, on the timeline (escaped like every label)
      marks.add(new Mark(at, a.action() + " by " + a.by(), false));
    } else if (e instanceof Event.RunFinished f) {
      status = f.status();
      reason = f.reason();
      next = f.nextCommand();
    }
  }

  private HostRow reached(String host) {
    HostRow row = row(host);
    row.reached = true;
    return row;
  }

  private void stepFinished(Event.StepFinished f) {
    HostRow row = reached(f.host());
    switch (f.status()) {
      case SUCCEEDED -> {
        row.ok++;
        if (f.changed()) {
          row.changed++;
        }
      }
      case SKIPPED -> row.skipped++;
      case IGNORED -> row.ok++; // as Ansible's recap counts an ignored failure
      case RETRYING -> {}
      case FAILED, LOST, IN_DOUBT -> row.failed++;
    }
    Bar started = open.remove(f.host());
    Instant start =
        started != null && started.step().equals(f.step())
            ? started.start()
            : f.at().minus(f.duration() == null ? Duration.ZERO : f.duration());
    int attempt = started != null ? started.attempt() : 1;
    String outcome =
        f.status() != StepOutcome.SUCCEEDED ? f.status().label() : f.changed() ? "changed" : "ok";
    bars.add(new Bar(f.host(), f.step(), attempt, start, f.at(), outcome, f.logFile()));
  }

  /** Every host of the run, in inventory order (those it never reached too); open bars end. */
  private void finish() {
    waiting.forEach((gate, from) -> waits.add(new Wait(from, null, gate)));
    Map<String, HostRow> ordered = new LinkedHashMap<>();
    for (String name : inventoryOrder) {
      HostRow row = hosts.getOrDefault(name, new HostRow());
      if (!row.reached && status != RunStatus.RUNNING) {
        row.state = "not reached";
        row.message = "not reached: the run stopped before this host's turn";
      }
      ordered.put(name, row);
    }
    hosts.forEach(ordered::putIfAbsent);
    hosts = ordered;
    for (Bar b : open.values()) {
      bars.add(new Bar(b.host(), b.step(), b.attempt(), b.start(), end(), "running", b.log()));
    }
  }

  private Instant start() {
    return first == null ? Instant.EPOCH : first;
  }

  private Instant end() {
    Instant t0 = start();
    return last == null || !last.isAfter(t0) ? t0.plusSeconds(1) : last;
  }

  /**
   * The template's model.
   *
   * @param runId the run
   * @param logs a step log's text as the page shows it, by the location its event names
   * @param rendered when the page is rendered
   */
  Map<String, Object> page(String runId, Function<String, String> logs, Instant rendered) {
    Instant t0 = start();
    Instant t1 = end();
    double span = Math.max(1, Duration.between(t0, t1).toMillis());
    List<Label> labels = labels(marks, t0, span);
    int levels = labels.stream().mapToInt(Label::level).max().orElse(-1) + 1;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("playbook", playbook);
    m.put("status", status.label());
    m.put("reason", reason);
    m.put("next", next);
    m.put("host_count", hosts.size());
    m.put("invocations", invocations);
    m.put("from", t0.toString());
    m.put("to", t1.toString());
    m.put("took", Durations.format(Duration.between(t0, t1)));
    m.put("legend", LEGEND);
    // the name column fits the longest host name (monospace: one ch per character), up to a cap
    m.put(
        "name_chars",
        Math.min(
            MAX_NAME_CHARS,
            Math.max(4, hosts.keySet().stream().mapToInt(String::length).max().orElse(4))));
    m.put("axis_px", Math.max(1, levels) * LABEL_LEVEL_PX + 4);
    m.put(
        "labels",
        labels.stream()
            .map(
                l ->
                    Map.of(
                        "stage",
                        l.mark().stage(),
                        "left",
                        pct(l.mark().at(), t0, span),
                        "title",
                        l.mark().label() + " at " + l.mark().at(),
                        "top",
                        l.level() * LABEL_LEVEL_PX,
                        "side",
                        l.leftOfMark() ? "right:3px;left:auto" : "left:3px",
                        "text",
                        l.mark().label()))
            .toList());
    List<Map<String, Object>> gates = new ArrayList<>();
    for (Wait w : waits) {
      Instant to = w.to() == null ? t1 : w.to();
      gates.add(
          Map.of(
              "left", pct(w.from(), t0, span),
              "width", width(w.from(), to, span),
              "title",
                  "gate "
                      + w.gate()
                      + " waited "
                      + Durations.format(Duration.between(w.from(), to))));
    }
    m.put("gates", gates);
    m.put(
        "ticks",
        marks.stream()
            .map(k -> Map.of("stage", k.stage(), "left", pct(k.at(), t0, span)))
            .toList());
    List<Map<String, Object>> lanes = new ArrayList<>();
    List<Map<String, Object>> outputs = new ArrayList<>();
    for (String host : hosts.keySet()) {
      List<Map<String, Object>> laneBars = new ArrayList<>();
      List<Map<String, Object>> steps = new ArrayList<>();
      for (Bar b : bars) {
        if (!b.host().equals(host)) {
          continue;
        }
        String took = Durations.format(Duration.between(b.start(), b.end()));
        laneBars.add(
            Map.of(
                "status", b.status(),
                "anchor", anchor(b),
                "left", pct(b.start(), t0, span),
                "width", width(b.start(), b.end(), span),
                "title", b.step() + " (attempt " + b.attempt() + "): " + b.status() + ", " + took));
        steps.add(
            Map.of(
                "anchor", anchor(b),
                "status", b.status(),
                "step", b.step(),
                "attempt", b.attempt(),
                "took", took,
                "log", logs.apply(b.log())));
      }
      lanes.add(Map.of("host", host, "bars", laneBars));
      outputs.add(Map.of("host", host, "steps", steps));
    }
    m.put("lanes", lanes);
    m.put("outputs", outputs);
    List<Map<String, Object>> rows = new ArrayList<>();
    hosts.forEach(
        (host, r) -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("host", host);
          row.put("state_class", r.state.replace(' ', '-'));
          row.put("stage", r.stage);
          row.put("batch", r.batch == 0 ? "" : Integer.toString(r.batch));
          row.put("state", r.state);
          row.put("ok", r.ok);
          row.put("changed", r.changed);
          row.put("skipped", r.skipped);
          row.put("failed", r.failed);
          row.put("step", r.step);
          row.put("message", r.message);
          rows.add(row);
        });
    m.put("hosts", rows);
    m.put("rendered", rendered.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    m.put("events_file", HtmlReport.EVENTS);
    return m;
  }

  /**
   * Places the marks' labels so that no two overlap: in time order, each goes on the first level
   * where it clears the labels already there, computed at the lane's least width ({@link
   * #LANE_MIN_PX}; a wider lane only moves labels further apart, their widths stay). A label that
   * would run past the lane's right edge sits left of its mark. A resumed run repeats its stage and
   * batch starts, often close together: they stack instead of overprinting.
   */
  static List<Label> labels(List<Mark> marks, Instant t0, double span) {
    List<Mark> sorted = new ArrayList<>(marks);
    sorted.sort(
        Comparator.comparing(Mark::at)
            .thenComparing(m -> !m.stage())); // a stage's label before its first batch's
    List<Double> levelEnds = new ArrayList<>();
    List<Label> out = new ArrayList<>();
    for (Mark m : sorted) {
      double x = Double.parseDouble(pct(m.at(), t0, span)) / 100 * LANE_MIN_PX;
      double w = m.label().length() * LABEL_CHAR_PX;
      boolean left = x + 3 + w > LANE_MIN_PX && x - 3 - w >= 0;
      double from = left ? x - 3 - w : x + 3;
      double to = from + w;
      int level = 0;
      while (level < levelEnds.size() && levelEnds.get(level) + LABEL_GAP_PX > from) {
        level++;
      }
      if (level == levelEnds.size()) {
        levelEnds.add(to);
      } else {
        levelEnds.set(level, to);
      }
      out.add(new Label(m, level, left, from, to));
    }
    return out;
  }

  private static String anchor(Bar b) {
    return "s-" + b.host() + "-" + b.step() + "-" + b.attempt() + "-" + b.start().toEpochMilli();
  }

  private static String pct(Instant at, Instant t0, double span) {
    double p = Duration.between(t0, at).toMillis() * 100.0 / span;
    return String.format(Locale.ROOT, "%.3f", Math.max(0, Math.min(100, p)));
  }

  private static String width(Instant from, Instant to, double span) {
    double p = Duration.between(from, to).toMillis() * 100.0 / span;
    return String.format(Locale.ROOT, "%.3f", Math.max(0.25, Math.min(100, p)));
  }
}
