package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.template.TemplateEngine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.utils.AttributedString;

/**
 * Hostile input is normal input: a play, task, tag, host or message carrying escape sequences
 * ({@code ESC ] 0 ; TITLE BEL} retitles a terminal, {@code ESC [ 2 J} clears it, a carriage return
 * or U+202E forges a line) reaches no terminal raw. Each renderer's text, once our own colours
 * ({@code ESC [ ... m}) are taken out, holds no control or format character but line feeds (and the
 * listing's tabs).
 */
class TerminalEscapingProperties {
  private static final Instant T = Instant.parse("2026-12-08T01:00:00Z");

  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("\u001b\u0007\r\n\t\u0085\u009b\u202e\u2028[]0;:m2Jab ")
            .ofMinLength(1)
            .ofMaxLength(30),
        Arbitraries.of(
            "PLAY\u001b]0;TITLE\u0007\u001b[2J",
            "T\u001b[31mRED\u001b]8;;http://evil\u0007link\r\u202eevil",
            "\u009b2J",
            "\u001b[A\u001b[2K"));
  }

  /** What reaches the terminal but our colours: the text without {@code ESC [ digits ; m}. */
  private static String withoutOurColours(String text) {
    return text.replaceAll("\u001b\\[[0-9;]*m", "");
  }

  /** Asserts the text has no control or format character but those {@code allowed}. */
  private static void assertInert(String text, String allowed) {
    String rest = withoutOurColours(text);
    rest.codePoints()
        .forEach(
            c ->
                assertTrue(
                    allowed.indexOf(c) >= 0
                        || !(Character.isISOControl(c)
                            || Character.getType(c) == Character.FORMAT
                            || c == 0x2028
                            || c == 0x2029),
                    String.format("U+%04X reaches the terminal in:%n%s", c, text)));
  }

  /** The events of a paused run whose every text field is {@code s}. */
  private static List<Event> events(String s) {
    return List.of(
        new Event.RunStarted(T, "r", s, false, List.of(s)),
        new Event.GateEvaluated(T, s, s, GateState.WAITING, s),
        new Event.OperatorAction(T, s, s, s),
        new Event.StageStarted(T, s, 1, 1),
        new Event.BatchStarted(T, s, 1, 1, List.of(s), List.of(s)),
        new Event.StepStarted(T, s, s, s, 2),
        new Event.StepWarning(T, s, s, s),
        new Event.StepFinished(T, s, s, StepOutcome.SUCCEEDED, 0, Duration.ZERO, s, s, true),
        new Event.StepFinished(T, s, s, StepOutcome.SKIPPED, null, Duration.ZERO, s, s, false),
        new Event.StepFinished(T, s, s, StepOutcome.IGNORED, 1, Duration.ZERO, s, s, false),
        new Event.StepFinished(T, s, s, StepOutcome.FAILED, 1, Duration.ZERO, s, s, false),
        new Event.HostFinished(T, s, HostFinishState.PAUSED, s, s),
        new Event.RolloutPaused(T, s, 1, s),
        new Event.RunFinished(T, "r", RunStatus.PAUSED, s, Duration.ofSeconds(1), s));
  }

  @Property(tries = 200)
  void theConsoleEscapesEveryValueAndKeepsItsColours(@ForAll("hostile") String s) {
    // given a run whose every name and message is s, in colour
    ConsoleRenderer console = new ConsoleRenderer(null, true, true);
    StringBuilder text = new StringBuilder();
    events(s).forEach(e -> text.append(console.format(e)));
    // then nothing of s drives the terminal, and our colours are still there
    assertInert(text.toString(), "\n");
    assertTrue(text.toString().contains("\u001b[1m== stage "), text::toString);
  }

  @Property(tries = 100)
  void theLiveStatusAreaEscapesStageHostAndStep(@ForAll("hostile") String s) throws IOException {
    // given the live view on a terminal, in the middle of a step of stage s on host s
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    Terminal terminal =
        new DumbTerminal(
            "test",
            Terminal.TYPE_DUMB,
            new ByteArrayInputStream(new byte[0]),
            screen,
            java.nio.charset.StandardCharsets.UTF_8);
    LiveRenderer live = new LiveRenderer(terminal, false);
    try {
      events(s).stream().limit(6).forEach(live::emit);
      // when its status area is drawn
      List<AttributedString> status = live.status(20, 400);
      // then it shows s escaped
      assertTrue(status.size() >= 2, status::toString);
      status.forEach(line -> assertInert(line.toString(), ""));
    } finally {
      live.close();
    }
  }

  /** A one-play Ansible playbook whose play, task and tag are named {@code s}. */
  private static Playbook playbook(Path dir, String s) throws IOException {
    String q = quoted(s);
    Files.writeString(
        dir.resolve("pb.yml"),
        "- name: "
            + q
            + "\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: "
            + q
            + "\n      debug: {msg: "
            + q
            + "}\n      tags: ["
            + q
            + "]\n");
    Files.writeString(dir.resolve("inv.ini"), "h1 ansible_connection=local\n");
    return new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  /** {@code s} as a YAML double-quoted scalar, every character outside printable ASCII escaped. */
  private static String quoted(String s) {
    StringBuilder q = new StringBuilder("\"");
    s.chars()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                q.append('\\').append((char) c);
              } else if (c < 0x20 || c > 0x7e) {
                q.append(String.format("\\u%04x", c));
              } else {
                q.append((char) c);
              }
            });
    return q.append('"').toString();
  }

  @Property(tries = 15)
  void theListingAndThePlanEscapePlayTaskAndTagNames(@ForAll("hostile") String s)
      throws IOException {
    Path dir = Files.createTempDirectory("escaping");
    try {
      // given a play, a task and a tag named s
      Playbook playbook = playbook(dir, s.isBlank() ? s + "x" : s);
      var inventory = InventoryLoader.load(dir.resolve("inv.ini"));
      // when it is listed and planned
      String listing =
          PlaybookListing.text(
              playbook,
              inventory,
              Optional.empty(),
              List.of(),
              List.of(),
              new PlaybookListing.What(true, true, true));
      StringWriter plan = new StringWriter();
      PlanRenderer.text(
          new Planner(new TemplateEngine()).plan(PlanInputs.of(playbook, inventory).build()),
          false,
          new PrintWriter(plan, true));
      // then neither prints them raw
      assertInert(listing, "\n\t");
      assertInert(plan.toString(), "\n");
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Example
  void theFindingsPlayNameIsShownEscapedInTheStageLine() {
    // given the play name of the finding
    ConsoleRenderer console = new ConsoleRenderer(null, true, false);
    // when its stage starts
    String line =
        console.format(new Event.StageStarted(T, "PLAY\u001b]0;TITLE\u0007\u001b[2J", 1, 1));
    // then the escape sequences are shown, not sent
    assertEquals(
        "\n== stage PLAY\\u001b]0;TITLE\\u0007\\u001b[2J: 1 host(s) in 1 batch(es)\n", line);
  }
}
