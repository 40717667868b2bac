package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    Path runDir = Files.createDirectories(dir.resolve(id));
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
      json.emit(new Event.RunStarted(t, id, "demo", false, 2));
      json.emit(new Event.GateEvaluated(t, "all/before/1", "wait 1s", "waiting", ""));
      json.emit(new Event.GateEvaluated(t.plusSeconds(1), "all/before/1", "wait 1s", "passed", ""));
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
              "succeeded",
              0,
              Duration.ofSeconds(2),
              "",
              "logs/a/up.1.log",
              true));
      json.emit(new Event.HostFinished(t.plusSeconds(4), "a", "done", "", ""));
      json.emit(
          new Event.StepFinished(
              t.plusSeconds(5),
              "b",
              "up",
              "failed",
              3,
              Duration.ofSeconds(3),
              "exit code 3",
              "logs/b/up.1.log",
              false));
      json.emit(new Event.HostFinished(t.plusSeconds(5), "b", "paused", "up", "exit code 3"));
      json.emit(
          new Event.RunFinished(
              t.plusSeconds(6),
              id,
              "paused",
              "1 host(s) paused",
              Duration.ofSeconds(6),
              "orchestrator resume " + id));
    }
    // when the report is written
    String page = Files.readString(HtmlReport.write(runDir));
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
}
