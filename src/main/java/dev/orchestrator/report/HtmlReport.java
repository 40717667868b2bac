package dev.orchestrator.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.common.Durations;
import dev.orchestrator.common.Labelled;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.state.StoredLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The run report: one self-contained HTML file ({@code report.html} in the run's folder; inline
 * CSS, no script, no network) rendered from the run's recorded event stream ({@code events.jsonl},
 * every invocation of the run) and its step logs. It shows a timeline per host (a Gantt chart of
 * step attempts coloured by outcome, with stage and batch starts and gate waits), a table of hosts
 * with their final state and counts, and each step's log behind a click ({@code <details>}).
 *
 * <p>Why one class of over 400 lines: one self-contained HTML document (markup, inline CSS, the
 * timeline's geometry) rendered from one event stream; the CSS and markup are long but flat.
 *
 * <p>States are read into their enums ({@link StepOutcome}, {@link GateState}, {@link RunStatus});
 * a spelling this version does not know (a newer version's) is shown as it is, a step's counted as
 * failed.
 */
public final class HtmlReport {
  /** The recorded event stream, in the run's folder. */
  public static final String EVENTS = "events.jsonl";

  /** The report, in the run's folder. */
  public static final String FILE = "report.html";

  /** A step's log is embedded up to 64 KiB; the rest is in the log file. */
  static final int MAX_LOG_BYTES = 64 * 1024;

  private HtmlReport() {}

  /** One step attempt on the timeline. */
  private record Bar(
      String host,
      String step,
      int attempt,
      Instant start,
      Instant end,
      String status,
      String log) {}

  /** A vertical mark: a stage or batch start. */
  record Mark(Instant at, String label, boolean stage) {}

  /** A gate's wait, from waiting to its outcome. */
  private record Wait(Instant from, Instant to, String gate) {}

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

  /**
   * Writes {@code report.html} into the run's folder on this machine ({@link StateStore#localDir}),
   * rendered from the run's recorded events and step logs as the store holds them.
   *
   * @param store the state store holding the run
   * @param runId the run
   * @return the report file
   * @throws IOException if the store keeps no folder on this machine, or the report cannot be
   *     written
   * @throws dev.orchestrator.common.InputException if the run id is not one
   */
  public static Path write(StateStore store, String runId) throws IOException {
    Path dir =
        store
            .localDir(runId)
            .orElseThrow(
                () ->
                    new IOException(
                        "the state store "
                            + store.location()
                            + " keeps no folder on this machine to write "
                            + FILE
                            + " into"));
    return write(store, runId, dir);
  }

  /**
   * Writes {@code report.html} into a folder of this machine (for a store that keeps runs
   * elsewhere, e.g. a database), rendered from the run's recorded events and step logs.
   *
   * @param store the state store holding the run
   * @param runId the run
   * @param dir the existing folder to write it into
   * @return the report file
   * @throws IOException if the report cannot be written
   * @throws dev.orchestrator.common.InputException if the run id is not one
   */
  public static Path write(StateStore store, String runId, Path dir) throws IOException {
    List<JsonNode> list = new ArrayList<>();
    for (String line : store.events(runId)) {
      try {
        list.add(JsonEventRenderer.MAPPER.readTree(line));
      } catch (IOException torn) {
        // a line torn by a crash: the rest of the stream still tells the story
      }
    }
    Path out = dir.resolve(FILE);
    Path tmp = dir.resolve(FILE + ".tmp");
    // 0600 like every file of the state folder: the report holds every step's output.
    try (var channel = dev.orchestrator.state.PrivateFiles.openNew(tmp)) {
      java.nio.ByteBuffer bytes =
          java.nio.ByteBuffer.wrap(
              render(runId, list, location -> log(store, runId, location))
                  .getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
    Files.move(
        tmp,
        out,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return out;
  }

  /**
   * Renders the page.
   *
   * @param logs a step log's text as the page shows it, by the location its event names
   */
  static String render(
      String runId, List<JsonNode> events, java.util.function.Function<String, String> logs) {
    String playbook = "";
    RunStatus status = RunStatus.RUNNING;
    String reason = "";
    String next = "";
    Instant first = null;
    Instant last = null;
    Map<String, HostRow> hosts = new LinkedHashMap<>();
    Map<String, Bar> open = new LinkedHashMap<>();
    List<Bar> bars = new ArrayList<>();
    List<Mark> marks = new ArrayList<>();
    List<Wait> waits = new ArrayList<>();
    Map<String, Instant> waiting = new LinkedHashMap<>();
    String stage = "";
    int invocations = 0;
    java.util.Set<String> inventoryOrder = new java.util.LinkedHashSet<>();
    for (JsonNode e : events) {
      String kind = e.path("event").asText();
      Instant at = Instant.parse(e.path("at").asText(Instant.EPOCH.toString()));
      first = first == null || at.isBefore(first) ? at : first;
      last = last == null || at.isAfter(last) ? at : last;
      String host = e.path("host").asText("");
      if (!host.isEmpty()) {
        hosts.computeIfAbsent(host, k -> new HostRow()).reached = true;
      }
      switch (kind) {
        case "run_started" -> {
          playbook = e.path("playbook").asText();
          invocations++;
          e.path("host_names").forEach(n -> inventoryOrder.add(n.asText()));
        }
        case "stage_started" -> {
          stage = e.path("stage").asText();
          marks.add(new Mark(at, "stage " + stage, true));
        }
        case "batch_started" -> {
          int batch = e.path("batch").asInt();
          marks.add(new Mark(at, stage + " batch " + batch, false));
          for (JsonNode h : e.path("hosts")) {
            HostRow row = hosts.computeIfAbsent(h.asText(), k -> new HostRow());
            row.stage = stage;
            row.batch = batch;
            row.reached = true;
          }
        }
        case "step_started" -> {
          hosts.computeIfAbsent(host, k -> new HostRow()).state = "running";
          open.put(
              host,
              new Bar(
                  host,
                  e.path("step").asText(),
                  e.path("attempt").asInt(1),
                  at,
                  at,
                  "running",
                  ""));
        }
        case "step_finished" -> {
          HostRow row = hosts.computeIfAbsent(host, k -> new HostRow());
          String said = e.path("status").asText();
          StepOutcome st = Labelled.find(StepOutcome.class, said).orElse(StepOutcome.FAILED);
          String step = e.path("step").asText();
          switch (st) {
            case SUCCEEDED -> {
              row.ok++;
              if (e.path("changed").asBoolean(true)) {
                row.changed++;
              }
            }
            case SKIPPED -> row.skipped++;
            case RETRYING -> {}
            case FAILED, LOST, IN_DOUBT -> row.failed++;
          }
          Bar started = open.remove(host);
          Instant start =
              started != null && started.step().equals(step)
                  ? started.start()
                  : at.minusMillis(e.path("duration_ms").asLong(0));
          int attempt = started != null ? started.attempt() : 1;
          String outcome =
              st != StepOutcome.SUCCEEDED
                  ? said
                  : e.path("changed").asBoolean(true) ? "changed" : "ok";
          bars.add(new Bar(host, step, attempt, start, at, outcome, e.path("log_file").asText("")));
        }
        case "host_finished" -> {
          HostRow row = hosts.computeIfAbsent(host, k -> new HostRow());
          row.state = e.path("state").asText();
          row.step = e.path("step").asText("");
          row.message = e.path("message").asText("");
          Bar started = open.remove(host);
          if (started != null) {
            bars.add(
                new Bar(
                    host,
                    started.step(),
                    started.attempt(),
                    started.start(),
                    at,
                    "lost",
                    started.log()));
          }
        }
        case "gate_evaluated" -> {
          String gate = e.path("gate").asText();
          if (Labelled.find(GateState.class, e.path("state").asText()).orElse(null)
              == GateState.WAITING) {
            waiting.putIfAbsent(gate, at);
          } else if (waiting.containsKey(gate)) {
            waits.add(new Wait(waiting.remove(gate), at, gate));
          }
        }
        case "operator_action" ->
            // who approved, resumed or aborted, on the timeline (escaped like every label)
            marks.add(
                new Mark(at, e.path("action").asText() + " by " + e.path("by").asText(), false));
        case "run_finished" -> {
          status = Labelled.find(RunStatus.class, e.path("status").asText()).orElse(status);
          reason = e.path("reason").asText("");
          next = e.path("next_command").asText("");
        }
        default -> {}
      }
    }
    waiting.forEach((gate, from) -> waits.add(new Wait(from, null, gate)));
    // every host of the run, in inventory order: those the run never reached too
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
    Instant t0 = first == null ? Instant.EPOCH : first;
    Instant t1 = last == null || !last.isAfter(t0) ? t0.plusSeconds(1) : last;
    for (Bar b : open.values()) {
      bars.add(new Bar(b.host(), b.step(), b.attempt(), b.start(), t1, "running", b.log()));
    }
    return page(
        logs,
        runId,
        playbook,
        status.label(),
        reason,
        next,
        invocations,
        t0,
        t1,
        hosts,
        bars,
        marks,
        waits);
  }

  private static String page(
      java.util.function.Function<String, String> logs,
      String runId,
      String playbook,
      String status,
      String reason,
      String next,
      int invocations,
      Instant t0,
      Instant t1,
      Map<String, HostRow> hosts,
      List<Bar> bars,
      List<Mark> marks,
      List<Wait> waits) {
    double span = Math.max(1, Duration.between(t0, t1).toMillis());
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>run ")
        .append(esc(runId))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style></head><body>\n");
    h.append("<h1>")
        .append(esc(playbook))
        .append(" <span class=\"id\">")
        .append(esc(runId))
        .append("</span></h1>\n<p class=\"status s-")
        .append(esc(status))
        .append("\">")
        .append(esc(status))
        .append(reason.isEmpty() ? "" : ": " + esc(reason))
        .append("</p>\n<p>")
        .append(hosts.size())
        .append(" host(s) · ")
        .append(invocations)
        .append(" invocation(s) · from ")
        .append(esc(t0.toString()))
        .append(" to ")
        .append(esc(t1.toString()))
        .append(" (")
        .append(esc(Durations.format(Duration.between(t0, t1))))
        .append(")</p>\n");
    if (!next.isEmpty()) {
      h.append("<p>next: <code>").append(esc(next)).append("</code></p>\n");
    }
    // the timeline
    h.append("<h2>Timeline</h2>\n<div class=\"legend\">");
    for (String s : List.of("ok", "changed", "skipped", "retrying", "failed", "lost", "running")) {
      h.append("<span class=\"b-").append(s).append("\">").append(s).append("</span> ");
    }
    // the name column fits the longest host name (monospace: one ch per character), up to a cap
    int nameChars =
        Math.min(
            MAX_NAME_CHARS,
            Math.max(4, hosts.keySet().stream().mapToInt(String::length).max().orElse(4)));
    h.append("<span class=\"lgate\">gate wait</span></div>\n<div class=\"gantt\" style=\"")
        .append("--name:")
        .append(nameChars)
        .append("ch\">\n");
    List<Label> labels = labels(marks, t0, span);
    int levels = labels.stream().mapToInt(Label::level).max().orElse(-1) + 1;
    h.append("<div class=\"row axis\" style=\"height:")
        .append(Math.max(1, levels) * LABEL_LEVEL_PX + 4)
        .append("px\"><div class=\"name\"></div><div class=\"lane\">");
    for (Label l : labels) {
      Mark m = l.mark();
      h.append("<div class=\"mark")
          .append(m.stage() ? " stage" : "")
          .append("\" style=\"left:")
          .append(pct(m.at(), t0, span))
          .append("%\" title=\"")
          .append(esc(m.label() + " at " + m.at()))
          .append("\"><span style=\"top:")
          .append(l.level() * LABEL_LEVEL_PX)
          .append("px;")
          .append(l.leftOfMark() ? "right:3px;left:auto" : "left:3px")
          .append("\">")
          .append(esc(m.label()))
          .append("</span></div>");
    }
    h.append("</div></div>\n");
    for (String host : hosts.keySet()) {
      h.append("<div class=\"row\"><div class=\"name\" title=\"")
          .append(esc(host))
          .append("\">")
          .append(esc(host))
          .append("</div><div class=\"lane\">");
      for (Wait w : waits) {
        Instant to = w.to() == null ? t1 : w.to();
        h.append("<div class=\"gate\" style=\"left:")
            .append(pct(w.from(), t0, span))
            .append("%;width:")
            .append(width(w.from(), to, span))
            .append("%\" title=\"")
            .append(
                esc(
                    "gate "
                        + w.gate()
                        + " waited "
                        + Durations.format(Duration.between(w.from(), to))))
            .append("\"></div>");
      }
      for (Mark m : marks) {
        h.append("<div class=\"tick")
            .append(m.stage() ? " stage" : "")
            .append("\" style=\"left:")
            .append(pct(m.at(), t0, span))
            .append("%\"></div>");
      }
      for (Bar b : bars) {
        if (!b.host().equals(host)) {
          continue;
        }
        h.append("<a class=\"bar b-")
            .append(esc(b.status()))
            .append("\" href=\"#")
            .append(esc(anchor(b)))
            .append("\" style=\"left:")
            .append(pct(b.start(), t0, span))
            .append("%;width:")
            .append(width(b.start(), b.end(), span))
            .append("%\" title=\"")
            .append(
                esc(
                    b.step()
                        + " (attempt "
                        + b.attempt()
                        + "): "
                        + b.status()
                        + ", "
                        + Durations.format(Duration.between(b.start(), b.end()))))
            .append("\"></a>");
      }
      h.append("</div></div>\n");
    }
    h.append("</div>\n");
    // the hosts
    h.append("<h2>Hosts</h2>\n<table><tr><th>host</th><th>stage</th><th>batch</th><th>state</th>")
        .append("<th>ok</th><th>changed</th><th>skipped</th><th>failed</th><th>step</th>")
        .append("<th>message</th></tr>\n");
    for (Map.Entry<String, HostRow> e : hosts.entrySet()) {
      HostRow r = e.getValue();
      h.append("<tr class=\"h-")
          .append(esc(r.state.replace(' ', '-')))
          .append("\"><td class=\"host\"><a href=\"#host-")
          .append(esc(e.getKey()))
          .append("\">")
          .append(esc(e.getKey()))
          .append("</a></td><td>")
          .append(esc(r.stage))
          .append("</td><td>")
          .append(r.batch == 0 ? "" : r.batch)
          .append("</td><td class=\"state\">")
          .append(esc(r.state))
          .append("</td><td>")
          .append(r.ok)
          .append("</td><td>")
          .append(r.changed)
          .append("</td><td>")
          .append(r.skipped)
          .append("</td><td>")
          .append(r.failed)
          .append("</td><td>")
          .append(esc(r.step))
          .append("</td><td>")
          .append(esc(r.message))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    // each host's steps with their output behind a click
    h.append("<h2>Step output</h2>\n");
    for (String host : hosts.keySet()) {
      h.append("<h3 class=\"host\" id=\"host-")
          .append(esc(host))
          .append("\">")
          .append(esc(host))
          .append("</h3>\n");
      for (Bar b : bars) {
        if (!b.host().equals(host)) {
          continue;
        }
        h.append("<details id=\"")
            .append(esc(anchor(b)))
            .append("\"><summary><span class=\"dot b-")
            .append(esc(b.status()))
            .append("\"></span>")
            .append(esc(b.step()))
            .append(" · attempt ")
            .append(b.attempt())
            .append(" · ")
            .append(esc(b.status()))
            .append(" · ")
            .append(esc(Durations.format(Duration.between(b.start(), b.end()))))
            .append("</summary><pre>")
            .append(esc(logs.apply(b.log())))
            .append("</pre></details>\n");
      }
    }
    h.append("<p class=\"foot\">orchestrator run report · rendered ")
        .append(esc(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))
        .append(" from ")
        .append(EVENTS)
        .append("</p>\n</body></html>\n");
    return h.toString();
  }

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

  /**
   * A mark's label placed on the axis: its level (0 = top) and whether it sits left of its mark
   * (near the right edge).
   */
  record Label(Mark mark, int level, boolean leftOfMark, double fromPx, double toPx) {}

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
        java.util.Comparator.comparing(Mark::at)
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

  /**
   * A step log's text for the page: its first {@link #MAX_LOG_BYTES}, read from the store by the
   * stored name at the end of the location the event names ({@link StateStore#logNameIn}).
   */
  private static String log(StateStore store, String runId, String location) {
    if (location.isEmpty()) {
      return "(no output recorded)";
    }
    Optional<String> name = StateStore.logNameIn(location);
    if (name.isEmpty()) {
      return "(log " + location + " not readable: not a step log of run " + runId + ")";
    }
    String where = store.logLocation(runId, name.get());
    try (java.io.InputStream in = store.readLog(runId, name.get(), 0)) {
      // only what the report shows is read: a step's log may be gigabytes
      byte[] head = in.readNBytes(MAX_LOG_BYTES);
      long size =
          head.length < MAX_LOG_BYTES
              ? head.length // read to its end: no need to ask the store its size
              : store.log(runId, name.get()).map(StoredLog::size).orElse((long) head.length);
      String text = new String(head, StandardCharsets.UTF_8);
      return size <= head.length
          ? text
          : text + "\n[… " + (size - head.length) + " more bytes in " + where + "]";
    } catch (IOException e) {
      return "(log " + where + " not readable: " + e.getMessage() + ")";
    }
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

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static final String CSS =
      """
      body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}
      h1 .id{font-weight:normal;color:#666;font-size:60%}
      .status{font-weight:bold}.s-succeeded{color:#1a7f37}.s-paused{color:#b35900}
      .s-aborted{color:#cf222e}.s-running{color:#0969da}
      .legend span{display:inline-block;padding:1px 8px;margin-right:4px;color:#fff;border-radius:3px}
      .legend .lgate{background:#f6e7a8;color:#222}
      .gantt{border:1px solid #ddd;padding:4px 0;overflow-x:auto}
      .row{display:flex;align-items:center;height:22px}
      .name{width:var(--name);flex:none;padding:0 8px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-family:monospace}
      .lane{position:relative;flex:1 0 720px;height:100%;margin-right:12px;border-left:1px solid #ccc}
      .bar{position:absolute;top:4px;height:14px;border-radius:2px;min-width:2px}
      .gate{position:absolute;top:0;height:100%;background:#f6e7a8;opacity:.8}
      .tick{position:absolute;top:0;height:100%;border-left:1px dashed #bbb}
      .tick.stage{border-left:2px solid #888}
      .mark{position:absolute;top:0;height:100%;border-left:1px dashed #bbb}
      .mark.stage{border-left:2px solid #888}
      .mark span{position:absolute;font:11px monospace;white-space:nowrap;color:#555}
      .mark.stage span{font-weight:bold}
      .host{white-space:nowrap}
      .b-ok{background:#2da44e}.b-changed{background:#1a7f37}.b-succeeded{background:#2da44e}
      .b-skipped{background:#8c959f}.b-retrying{background:#d4a72c}.b-failed{background:#cf222e}
      .b-lost,.b-in{background:#8250df}.b-running{background:#0969da}
      table{border-collapse:collapse;margin:8px 0}
      td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
      tr.h-done .state{color:#1a7f37}tr.h-paused .state,tr.h-unreachable .state{color:#cf222e}
      tr.h-not-reached .state,tr.h-pending .state{color:#8c959f}
      details{margin:2px 0}summary{cursor:pointer;font-family:monospace}
      .dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px}
      pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:400px;font-size:12px}
      .foot{color:#888;font-size:12px;margin-top:24px}
      """;
}
