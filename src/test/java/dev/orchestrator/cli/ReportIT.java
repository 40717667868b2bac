package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.sandbox.TestFleet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator and a CI job read of a run (issue #7): the JSON event stream, parsed completely;
 * the recap; step progress lines; timestamped logs; and the HTML report, rendered by a real
 * headless Chromium to a PNG.
 */
class ReportIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private TestFleet fleet;
  private Path playbook;

  @BeforeEach
  void fleet() throws IOException {
    Map<String, String> groups = new LinkedHashMap<>();
    groups.put("q1", "qa");
    groups.put("p1", "production");
    groups.put("p2", "production");
    fleet = TestFleet.start(dir, groups);
    playbook = dir.resolve("pb.yml");
    Files.writeString(
        playbook,
        """
        name: reported
        stages:
          - name: qa
            hosts: qa
          - name: production
            hosts: production
            gates:
              - wait: 1s
        steps:
          - id: probe
            changed_when: false
            shell: echo reading
          - id: copy
            shell: |
              for i in 1 2 3 4; do echo "::progress $i/4 copying part $i"; sleep 0.1; done
              echo copied
          - id: restart
            shell: test ! -e broken || { echo "service would not start" >&2; exit 4; }
        """);
  }

  @AfterEach
  void stop() throws IOException {
    fleet.close();
  }

  private Cli.Result run(String... extra) {
    return Cli.run(Cli.runArgs(playbook, fleet, dir.resolve("state"), extra));
  }

  @Test
  void theJsonEventStreamParsesCompletelyAndTellsTheWholeRun() throws IOException {
    // given p2 will fail its last step
    Files.writeString(fleet.home("p2").resolve("broken"), "");
    // when the run streams JSON
    Cli.Result r = run("--output", "json");
    // then every stdout line is one JSON event of the documented schema
    assertEquals(3, r.exitCode(), r.err());
    List<JsonNode> events = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      JsonNode e = JSON.readTree(line);
      assertEquals(1, e.path("schema").asInt(), line);
      assertTrue(e.path("at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), line);
      events.add(e);
    }
    List<String> kinds = events.stream().map(e -> e.path("event").asText()).toList();
    assertEquals("run_started", kinds.get(0));
    assertEquals("run_finished", kinds.get(kinds.size() - 1));
    for (String kind :
        List.of(
            "stage_started",
            "batch_started",
            "gate_evaluated",
            "step_started",
            "step_progress",
            "step_finished",
            "host_finished")) {
      assertTrue(kinds.contains(kind), kind + " in " + kinds);
    }
    JsonNode progress =
        events.stream()
            .filter(e -> e.path("event").asText().equals("step_progress"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertEquals(4, progress.path("done").asLong());
    assertEquals(4, progress.path("total").asLong());
    assertEquals("copying part 4", progress.path("message").asText());
    JsonNode probe = finished(events, "q1", "probe");
    assertEquals(false, probe.path("changed").asBoolean(true), "changed_when: false");
    assertEquals(true, finished(events, "q1", "copy").path("changed").asBoolean(false));
    JsonNode failed = finished(events, "p2", "restart");
    assertEquals("failed", failed.path("status").asText());
    assertEquals(4, failed.path("exit_code").asInt());
    JsonNode end = events.get(events.size() - 1);
    assertEquals("paused", end.path("status").asText());
    assertTrue(end.path("next_command").asText().contains("resume"), end.toString());
    // and the same stream is recorded in the run's folder
    Path runDir = dir.resolve("state/runs").resolve(end.path("run_id").asText());
    assertEquals(
        events.size(), Files.readAllLines(runDir.resolve("events.jsonl")).size(), "recorded");
  }

  private static JsonNode finished(List<JsonNode> events, String host, String step) {
    return events.stream()
        .filter(e -> e.path("event").asText().equals("step_finished"))
        .filter(e -> e.path("host").asText().equals(host) && e.path("step").asText().equals(step))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no step_finished for " + host + " " + step));
  }

  @Test
  void theRecapCountsOkChangedSkippedFailedAndSaysWhatToDoNext() throws IOException {
    Files.writeString(fleet.home("p2").resolve("broken"), "");
    Cli.Result r = run("--no-progress");
    assertEquals(3, r.exitCode(), r.err());
    String recap = r.out().substring(r.out().indexOf("RECAP"));
    assertTrue(
        recap.matches("(?s).*q1\\s+ok=3\\s+changed=2\\s+skipped=0\\s+failed=0\\s+done.*"), recap);
    assertTrue(
        recap.matches(
            "(?s).*p2\\s+ok=2\\s+changed=1\\s+skipped=0\\s+failed=1\\s+paused at restart.*"),
        recap);
    assertTrue(recap.contains("next: "), recap);
    assertTrue(
        r.out().contains("[p1] progress copy"), "progress lines in the plain view: " + r.out());
  }

  /** An inventory of the same hosts that lists production (p2, then p1) before qa. */
  private Path productionFirstInventory() throws IOException {
    Path inv = dir.resolve("production-first.yml");
    Files.writeString(
        inv,
        "all:\n  vars:\n    ansible_host: 127.0.0.1\n    user: tester\n    private_key_file: "
            + fleet.clientKey()
            + "\n  children:\n    production:\n      hosts:\n"
            + "        p2: {port: "
            + fleet.port("p2")
            + "}\n        p1: {port: "
            + fleet.port("p1")
            + "}\n    qa:\n      hosts:\n        q1: {port: "
            + fleet.port("q1")
            + "}\n");
    return inv;
  }

  @Test
  void theRecapAndTheReportListHostsInInventoryOrderAndTheReportShowsHostsNeverReached()
      throws IOException {
    // given an inventory listing p2, p1, q1, while the stages run q1 (qa) before p1 and p2
    Path inv = productionFirstInventory();
    String[] args = {
      "run",
      playbook.toString(),
      "-i",
      inv.toString(),
      "--known-hosts",
      fleet.knownHosts().toString(),
      "--no-progress"
    };
    // when a run finishes q1 first
    Cli.Result r = Cli.run(concat(args, "--state-dir", dir.resolve("ordered").toString()));
    // then its recap lists the hosts in inventory order, not in the order they finished
    assertEquals(0, r.exitCode(), r.out() + r.err());
    String recap = r.out().substring(r.out().indexOf("RECAP"));
    assertTrue(recap.matches("(?s)RECAP [^\n]*\n  p2 .*\n  p1 .*\n  q1 .*"), recap);
    // and given q1 fails, so that the rollout pauses before production
    Files.writeString(fleet.home("q1").resolve("broken"), "");
    Path state = dir.resolve("paused");
    Cli.Result paused = Cli.run(concat(args, "--state-dir", state.toString()));
    assertEquals(3, paused.exitCode(), paused.out() + paused.err());
    // then the report lists p2 and p1 too, in inventory order, as not reached
    String page =
        Files.readString(state.resolve("runs").resolve(paused.runId()).resolve("report.html"));
    String table = page.substring(page.indexOf("<h2>Hosts</h2>"), page.indexOf("<h2>Step output"));
    assertTrue(
        table.matches("(?s).*>p2</a>.*not reached.*>p1</a>.*not reached.*>q1</a>.*paused.*"),
        table);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void stepLogsCarryTimestampsAndStreams() throws IOException {
    Cli.Result r = run();
    assertEquals(0, r.exitCode(), r.out() + r.err());
    Cli.Result logs =
        Cli.run(
            "logs",
            r.runId(),
            "--host",
            "p1",
            "--step",
            "copy",
            "--state-dir",
            dir.resolve("state").toString());
    assertTrue(
        logs.out()
            .matches(
                "(?s).*\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z] out: ::progress 1/4 copying part 1\n.*"),
        logs.out());
    assertTrue(logs.out().contains("] out: copied\n"), logs.out());
    assertTrue(logs.out().contains("--- exit code 0"), logs.out());
  }

  @Test
  void theHtmlReportRendersInARealBrowser() throws Exception {
    // given a run with a failure and a gate wait, and its report
    Files.writeString(fleet.home("p2").resolve("broken"), "");
    Cli.Result r = run();
    assertEquals(3, r.exitCode(), r.err());
    Cli.Result report =
        Cli.run("report", r.runId(), "--state-dir", dir.resolve("state").toString());
    assertEquals(0, report.exitCode(), report.err());
    Path html = Path.of(report.out().strip());
    String page = Files.readString(html);
    // then it is self-contained and holds the timeline, the hosts and the outputs
    assertTrue(!page.contains("http://") && !page.contains("https://"), "no network needed");
    assertTrue(page.contains("class=\"bar b-failed\""), "the failed step on the timeline");
    assertTrue(page.contains("class=\"gate\""), "the gate wait on the timeline");
    assertTrue(page.contains("<td class=\"state\">paused</td>"), "p2's final state");
    assertTrue(page.contains("service would not start"), "p2's output behind a click");
    // and headless Chromium renders it to a non-trivial picture
    String chromium =
        Files.isExecutable(Path.of("/usr/bin/chromium"))
            ? "/usr/bin/chromium"
            : Files.isExecutable(Path.of("/usr/bin/chromium-browser"))
                ? "/usr/bin/chromium-browser"
                : null;
    assumeTrue(
        chromium != null,
        "Chromium is not installed (apt-get install chromium; .ci/run installs it): the browser check is skipped");
    Path png = dir.resolve("report.png");
    Process p =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--window-size=1280,900",
                "--screenshot=" + png,
                html.toUri().toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chromium.log").toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
    assertTrue(
        Files.exists(png), "screenshot written: " + Files.readString(dir.resolve("chromium.log")));
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1280, image.getWidth());
    Set<Integer> colours = new HashSet<>();
    int red = 0;
    int green = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        int rr = rgb >> 16 & 0xff;
        int gg = rgb >> 8 & 0xff;
        int bb = rgb & 0xff;
        if (rr > 180 && gg < 80 && bb < 80) {
          red++;
        }
        if (gg > 120 && rr < 80 && bb < 110) {
          green++;
        }
      }
    }
    assertTrue(colours.size() > 50, "a rendered page, not a blank one: " + colours.size());
    assertTrue(green > 20, "green bars of succeeded steps: " + green);
    assertTrue(red > 5, "a red bar of the failed step: " + red);
  }
}
