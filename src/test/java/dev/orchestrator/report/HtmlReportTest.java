package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.RunStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  @TempDir Path dir;

  @Test
  void theReportShowsTimelineHostsAndEscapedOutputFromTheRecordedEvents() throws Exception {
    // given a recorded event stream: a gate wait, one host done, one failed with hostile output
    String id = "20261121-000000-demo-0001";
    Path runDir = Files.createDirectories(dir.resolve("runs").resolve(id));
    Files.createDirectories(runDir.resolve("logs/b"));
    Files.writeString(
        runDir.resolve("logs/b/up.1.log"), "$ up\n[t] err: <script>alert(1)</script>\n");
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    try (PrintStream out =
        new PrintStream(
            Files.newOutputStream(runDir.resolve(HtmlReport.EVENTS)),
            true,
            StandardCharsets.UTF_8)) {
      JsonEventRenderer json = new JsonEventRenderer(out);
      json.emit(new Event.RunStarted(t, id, "demo", false, List.of("a", "b")));
      json.emit(new Event.GateEvaluated(t, "all/before/1", "wait 1s", GateState.WAITING, ""));
      json.emit(
          new Event.GateEvaluated(
              t.plusSeconds(1), "all/before/1", "wait 1s", GateState.PASSED, ""));
      json.emit(new Event.StageStarted(t.plusSeconds(1), "all", 1, 2));
      json.emit(
          new Event.BatchStarted(
              t.plusSeconds(1), "all", 1, 1, List.of("a", "b"), List.of("a", "b")));
      for (String h : List.of("a", "b")) {
        json.emit(new Event.StepStarted(t.plusSeconds(2), h, "up", "Up", 1));
      }
      json.emit(
          new Event.StepFinished(
              t.plusSeconds(4),
              "a",
              "up",
              StepOutcome.SUCCEEDED,
              0,
              Duration.ofSeconds(2),
              "",
              "logs/a/up.1.log",
              true));
      json.emit(new Event.HostFinished(t.plusSeconds(4), "a", HostFinishState.DONE, "", ""));
      json.emit(
          new Event.StepFinished(
              t.plusSeconds(5),
              "b",
              "up",
              StepOutcome.FAILED,
              3,
              Duration.ofSeconds(3),
              "exit code 3",
              "logs/b/up.1.log",
              false));
      json.emit(
          new Event.HostFinished(
              t.plusSeconds(5), "b", HostFinishState.PAUSED, "up", "exit code 3"));
      json.emit(
          new Event.RunFinished(
              t.plusSeconds(6),
              id,
              RunStatus.PAUSED,
              "1 host(s) paused",
              Duration.ofSeconds(6),
              "orchestrator resume " + id));
    }
    // when the report is written
    String page =
        Files.readString(HtmlReport.write(new RunStore(dir), runDir.getFileName().toString()));
    // then the timeline, the table and the outputs are there, and nothing from a step is live HTML
    assertTrue(page.startsWith("<!DOCTYPE html>"));
    assertTrue(page.contains("class=\"bar b-changed\""), "a's step");
    assertEquals(1, page.split("class=\"bar b-failed\"", -1).length - 1, "b's failed step");
    assertTrue(page.contains("<div class=\"gate\" style=\"left:0.000%;width:16.667%"), page);
    assertTrue(page.contains("<td class=\"state\">paused</td>"));
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "output is escaped");
    assertTrue(!page.contains("<script>"), "no script at all");
    assertTrue(page.contains("orchestrator resume " + id));
    assertTrue(page.contains("not readable"), "a's missing log is said");
  }

  /**
   * A resumed run's events: stage qa and production in the first invocation, production paused in
   * batch 1; a resume an hour later starts both stages and production's batches again within a
   * second. Hosts, in inventory order: {@code web-eu-1}, {@code q1}, {@code web-eu-2}, {@code
   * web-us-1}.
   */
  static void resumedRun(Path runDir, String id) throws Exception {
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    List<String> inventory =
        List.of("nextcloud-eu-1", "q1", "nextcloud-eu-2", "nextcloud-us-west-1");
    try (PrintStream out =
        new PrintStream(
            Files.newOutputStream(runDir.resolve(HtmlReport.EVENTS)),
            true,
            StandardCharsets.UTF_8)) {
      JsonEventRenderer json = new JsonEventRenderer(out);
      json.emit(new Event.RunStarted(t, id, "demo", false, inventory));
      json.emit(new Event.StageStarted(t, "qa", 1, 1));
      json.emit(new Event.BatchStarted(t, "qa", 1, 1, List.of("q1"), List.of("q1")));
      step(json, t, "q1", "up", StepOutcome.SUCCEEDED);
      json.emit(new Event.HostFinished(t.plusSeconds(2), "q1", HostFinishState.DONE, "", ""));
      Instant p = t.plusSeconds(3);
      json.emit(new Event.StageStarted(p, "production", 2, 3));
      json.emit(
          new Event.BatchStarted(
              p,
              "production",
              1,
              2,
              List.of("nextcloud-eu-1", "nextcloud-eu-2"),
              List.of("nextcloud-eu-1", "nextcloud-eu-2")));
      step(json, p, "nextcloud-eu-2", "up", StepOutcome.SUCCEEDED);
      json.emit(
          new Event.HostFinished(p.plusSeconds(2), "nextcloud-eu-2", HostFinishState.DONE, "", ""));
      step(json, p, "nextcloud-eu-1", "up", StepOutcome.FAILED);
      json.emit(
          new Event.HostFinished(
              p.plusSeconds(2), "nextcloud-eu-1", HostFinishState.PAUSED, "up", "exit 1"));
      json.emit(new Event.RolloutPaused(p.plusSeconds(2), "production", 1, "1 failed"));
      json.emit(
          new Event.RunFinished(
              p.plusSeconds(2), id, RunStatus.PAUSED, "1 failed", Duration.ofSeconds(5), "resume"));
      Instant r = t.plusSeconds(3600);
      json.emit(new Event.RunStarted(r, id, "demo", true, inventory));
      json.emit(new Event.StageStarted(r, "qa", 1, 1));
      json.emit(new Event.BatchStarted(r, "qa", 1, 1, List.of("q1"), List.of()));
      json.emit(new Event.StageStarted(r.plusMillis(20), "production", 2, 3));
      json.emit(
          new Event.BatchStarted(
              r.plusMillis(20),
              "production",
              1,
              2,
              List.of("nextcloud-eu-1", "nextcloud-eu-2"),
              List.of("nextcloud-eu-1")));
      step(json, r.plusMillis(20), "nextcloud-eu-1", "up", StepOutcome.SUCCEEDED);
      json.emit(
          new Event.HostFinished(
              r.plusMillis(2020), "nextcloud-eu-1", HostFinishState.DONE, "", ""));
      json.emit(
          new Event.BatchStarted(
              r.plusMillis(2030),
              "production",
              2,
              2,
              List.of("nextcloud-us-west-1"),
              List.of("nextcloud-us-west-1")));
      step(json, r.plusMillis(2030), "nextcloud-us-west-1", "up", StepOutcome.FAILED);
      json.emit(
          new Event.HostFinished(
              r.plusMillis(4030),
              "nextcloud-us-west-1",
              HostFinishState.PAUSED,
              "up",
              "exit code 1: "
                  + "the service would not start again after the update, see the log ".repeat(6)));
      json.emit(
          new Event.RunFinished(
              r.plusMillis(4030),
              id,
              RunStatus.PAUSED,
              "1 failed",
              Duration.ofSeconds(4),
              "resume"));
    }
  }

  private static void step(
      JsonEventRenderer json, Instant at, String host, String step, StepOutcome status) {
    json.emit(new Event.StepStarted(at, host, step, step, 1));
    json.emit(
        new Event.StepFinished(
            at.plusSeconds(2),
            host,
            step,
            status,
            status.equals(StepOutcome.FAILED) ? 1 : 0,
            Duration.ofSeconds(2),
            "",
            "",
            true));
  }

  @Test
  void aResumedRunsStageAndBatchLabelsDoNotOverlap() throws Exception {
    // given a resumed run whose second invocation starts its stages and batches within a second
    Path runDir = Files.createDirectories(dir.resolve("runs").resolve("20261121-000000-demo-0002"));
    resumedRun(runDir, runDir.getFileName().toString());
    // when its labels are placed
    String page =
        Files.readString(HtmlReport.write(new RunStore(dir), runDir.getFileName().toString()));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "<div class=\"mark[^\"]*\" style=\"left:([0-9.]+)%\"[^>]*><span style=\"top:(\\d+)px;(right|left)[^\"]*\">([^<]*)</span>")
            .matcher(page);
    // then no two labels on the same level intersect at the lane's least width
    record Box(double from, double to, int top, String text) {}
    List<Box> boxes = new java.util.ArrayList<>();
    while (m.find()) {
      double x = Double.parseDouble(m.group(1)) / 100 * ReportModel.LANE_MIN_PX;
      double w = m.group(4).length() * ReportModel.LABEL_CHAR_PX;
      double from = m.group(3).equals("right") ? x - 3 - w : x + 3;
      boxes.add(new Box(from, from + w, Integer.parseInt(m.group(2)), m.group(4)));
    }
    assertEquals(9, boxes.size(), "every stage and batch start has its label: " + boxes);
    for (Box a : boxes) {
      for (Box b : boxes) {
        if (a != b && a.top() == b.top()) {
          assertTrue(a.to() <= b.from() || b.to() <= a.from(), a + " overlaps " + b);
        }
      }
    }
  }

  @Test
  void hostsAreListedInInventoryOrderAndThoseNeverReachedAppear() throws Exception {
    // given a paused run whose inventory lists web-eu-1, q1, web-eu-2, web-us-1, and a run that
    // paused before it reached web-us-1
    Path runDir = Files.createDirectories(dir.resolve("runs").resolve("20261121-000000-demo-0003"));
    String id = runDir.getFileName().toString();
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    try (PrintStream out =
        new PrintStream(
            Files.newOutputStream(runDir.resolve(HtmlReport.EVENTS)),
            true,
            StandardCharsets.UTF_8)) {
      JsonEventRenderer json = new JsonEventRenderer(out);
      json.emit(
          new Event.RunStarted(
              t, id, "demo", false, List.of("web-eu-1", "q1", "web-eu-2", "web-us-1")));
      json.emit(new Event.StageStarted(t, "qa", 1, 1));
      json.emit(new Event.BatchStarted(t, "qa", 1, 1, List.of("q1"), List.of("q1")));
      step(json, t, "q1", "up", StepOutcome.SUCCEEDED);
      json.emit(new Event.HostFinished(t.plusSeconds(2), "q1", HostFinishState.DONE, "", ""));
      json.emit(new Event.StageStarted(t.plusSeconds(3), "production", 2, 3));
      json.emit(
          new Event.BatchStarted(
              t.plusSeconds(3),
              "production",
              1,
              2,
              List.of("web-eu-1", "web-eu-2"),
              List.of("web-eu-1", "web-eu-2")));
      step(json, t.plusSeconds(3), "web-eu-2", "up", StepOutcome.SUCCEEDED);
      json.emit(new Event.HostFinished(t.plusSeconds(5), "web-eu-2", HostFinishState.DONE, "", ""));
      step(json, t.plusSeconds(3), "web-eu-1", "up", StepOutcome.FAILED);
      json.emit(
          new Event.HostFinished(
              t.plusSeconds(6), "web-eu-1", HostFinishState.PAUSED, "up", "exit 1"));
      json.emit(
          new Event.RunFinished(
              t.plusSeconds(6), id, RunStatus.PAUSED, "1 failed", Duration.ofSeconds(6), "resume"));
    }
    // when the report is written
    String page =
        Files.readString(HtmlReport.write(new RunStore(dir), runDir.getFileName().toString()));
    // then the table and the timeline list every host in inventory order, web-us-1 not reached
    String table =
        page.substring(page.indexOf("<h2>Hosts</h2>"), page.indexOf("<h2>Step output</h2>"));
    List<String> rows = new java.util.ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("<a href=\"#host-([^\"]+)\"").matcher(table);
    while (m.find()) {
      rows.add(m.group(1));
    }
    assertEquals(List.of("web-eu-1", "q1", "web-eu-2", "web-us-1"), rows);
    assertTrue(
        table.matches(
            "(?s).*<tr class=\"h-not-reached\"><td class=\"host\"><a href=\"#host-web-us-1\">web-us-1</a>.*<td class=\"state\">not reached</td>.*"),
        table);
    String timeline =
        page.substring(page.indexOf("<h2>Timeline</h2>"), page.indexOf("<h2>Hosts</h2>"));
    assertTrue(
        timeline.indexOf(">web-eu-1<") < timeline.indexOf(">q1<")
            && timeline.indexOf(">q1<") < timeline.indexOf(">web-eu-2<")
            && timeline.indexOf(">web-eu-2<") < timeline.indexOf(">web-us-1<"),
        timeline);
  }

  @Test
  void stepOutputIsFoundWhenTheRunWasStartedWithARelativeStateFolder() throws Exception {
    // given a run whose events name its logs as a controller started with the default, relative,
    // --state-dir .orchestrator saw them: relative to its working folder, not to the run's folder
    String id = "20261121-000000-demo-0004";
    RunStore store = new RunStore(dir);
    Path runDir = Files.createDirectories(dir.resolve("runs").resolve(id));
    Files.createDirectories(runDir.resolve("logs/web%2F1"));
    Files.writeString(runDir.resolve("logs/web%2F1/up.1.log"), "$ up\n[t] out: all fine\n");
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    try (PrintStream out =
        new PrintStream(
            Files.newOutputStream(runDir.resolve(HtmlReport.EVENTS)),
            true,
            StandardCharsets.UTF_8)) {
      JsonEventRenderer json = new JsonEventRenderer(out);
      json.emit(new Event.RunStarted(t, id, "demo", false, List.of("web/1")));
      json.emit(new Event.StepStarted(t, "web/1", "up", "Up", 1));
      json.emit(
          new Event.StepFinished(
              t.plusSeconds(1),
              "web/1",
              "up",
              StepOutcome.FAILED,
              1,
              Duration.ofSeconds(1),
              "exit code 1",
              ".orchestrator/runs/" + id + "/logs/web%2F1/up.1.log",
              false));
    }
    // when the report is written
    String page = Files.readString(HtmlReport.write(store, id));
    // then the step's output is in it
    assertTrue(page.contains("[t] out: all fine"), page);
    assertTrue(!page.contains("not readable"), page);
  }
}
