package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.state.RunStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTML report's layout as a real browser lays it out: headless Chromium loads the report with a
 * measuring script appended (the report itself has none) and the test reads the boxes it found from
 * the dumped DOM.
 */
class ReportLayoutIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Measures the axis labels' boxes and how the host names are laid out. */
  private static final String MEASURE =
      """
      <script>
      window.addEventListener('load', () => {
        const box = e => { const r = e.getBoundingClientRect();
          return {text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
        const labels = [...document.querySelectorAll('.mark span')].map(box);
        const names = [...document.querySelectorAll('.gantt .row:not(.axis) .name')].map(e =>
          ({text: e.textContent, truncated: e.scrollWidth > e.clientWidth}));
        const lines = e => { const r = document.createRange(); r.selectNodeContents(e);
          return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; };
        const cells = [...document.querySelectorAll('table td:first-child a, h3')].map(e =>
          ({text: e.textContent, lines: lines(e)}));
        const out = document.createElement('pre');
        out.id = 'measured';
        out.textContent = JSON.stringify({labels, names, cells});
        document.body.appendChild(out);
      });
      </script>
      """;

  private static String chromium() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  private JsonNode measure(Path report, int width) throws Exception {
    String chromium = chromium();
    assumeTrue(
        chromium != null,
        "Chromium is not installed (apt-get install chromium; .ci/run installs it)");
    Path page = dir.resolve("measured-" + width + ".html");
    Files.writeString(
        page,
        Files.readString(report).replace("</body>", MEASURE + "</body>"),
        StandardCharsets.UTF_8);
    Path dom = dir.resolve("dom-" + width + ".html");
    Process p =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + dir.resolve("chromium-profile-" + width),
                "--window-size=" + width + ",900",
                "--dump-dom",
                page.toUri().toString())
            .redirectError(dir.resolve("chromium-" + width + ".log").toFile())
            .redirectOutput(dom.toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
    String html = Files.readString(dom);
    int at = html.indexOf("<pre id=\"measured\">");
    assertTrue(
        at >= 0,
        "the measuring script ran: " + Files.readString(dir.resolve("chromium-" + width + ".log")));
    String json = html.substring(at + "<pre id=\"measured\">".length(), html.indexOf("</pre>", at));
    return JSON.readTree(
        json.replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"));
  }

  @ParameterizedTest
  @ValueSource(ints = {800, 1280, 1920})
  void aResumedRunsLabelsDoNotOverlapAndHostNamesDoNotWrap(int width) throws Exception {
    // given the report of a resumed run whose second invocation restarted its stages and batches
    // within a second, with hyphenated host names and a long message beside them
    Path runDir = Files.createDirectories(dir.resolve("runs").resolve("20261121-000000-demo-0002"));
    HtmlReportTest.resumedRun(runDir, runDir.getFileName().toString());
    Path report = HtmlReport.write(new RunStore(dir), runDir.getFileName().toString());
    // when Chromium lays it out
    JsonNode m = measure(report, width);
    // then no two axis labels' boxes intersect
    List<JsonNode> labels = new ArrayList<>();
    m.path("labels").forEach(labels::add);
    assertEquals(9, labels.size(), m.toString());
    for (int i = 0; i < labels.size(); i++) {
      for (int j = i + 1; j < labels.size(); j++) {
        JsonNode a = labels.get(i);
        JsonNode b = labels.get(j);
        boolean apart =
            a.path("right").asDouble() <= b.path("left").asDouble()
                || b.path("right").asDouble() <= a.path("left").asDouble()
                || a.path("bottom").asDouble() <= b.path("top").asDouble()
                || b.path("bottom").asDouble() <= a.path("top").asDouble();
        assertTrue(apart, "at " + width + "px, label " + a + " overlaps " + b);
      }
    }
    // and every host name is shown whole on one line: not cut in the timeline, not wrapped
    m.path("names")
        .forEach(n -> assertTrue(!n.path("truncated").asBoolean(), "at " + width + "px: " + n));
    assertTrue(m.path("cells").size() >= 8, m.toString());
    m.path("cells")
        .forEach(
            c -> assertEquals(1, c.path("lines").asInt(), "at " + width + "px, wrapped: " + c));
  }
}
