package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.state.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleColoursTest {
  @Test
  void aTerminalWithATermHasColourUnlessNoColorOrDumb() {
    assertTrue(ConsoleColours.enabled(Map.of("TERM", "xterm"), true));
    assertTrue(ConsoleColours.enabled(Map.of("TERM", "xterm-256color"), true));
    assertTrue(ConsoleColours.enabled(Map.of("TERM", "xterm", "NO_COLOR", ""), true), "empty");
    assertFalse(ConsoleColours.enabled(Map.of("TERM", "xterm", "NO_COLOR", "1"), true));
    assertFalse(ConsoleColours.enabled(Map.of("TERM", "dumb"), true));
    assertFalse(ConsoleColours.enabled(Map.of(), true), "no TERM");
    assertFalse(ConsoleColours.enabled(Map.of("TERM", "xterm"), false), "not a terminal");
  }

  @Test
  void theRecapListsHostsInInventoryOrderWhateverOrderTheyFinishIn() {
    // given hosts b, a, c in inventory order that finish as a, c, b
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleRenderer r =
        ConsoleRenderer.plain(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    r.emit(new Event.RunStarted(t, "id", "pb", false, List.of("b", "a", "c")));
    for (String h : List.of("a", "c", "b")) {
      r.emit(new Event.HostFinished(t, h, HostFinishState.DONE, "", ""));
    }
    r.emit(new Event.RunFinished(t, "id", RunStatus.SUCCEEDED, "", Duration.ZERO, ""));
    // then the recap lists b, a, c
    String out = bytes.toString(StandardCharsets.UTF_8);
    String recap = out.substring(out.indexOf("RECAP"));
    assertEquals(
        List.of("b", "a", "c"),
        recap
            .lines()
            .skip(1)
            .takeWhile(l -> !l.isBlank())
            .map(l -> l.strip().split(" ")[0])
            .toList());
    assertFalse(out.contains("\u001b["), "no colour asked for");
  }

  @Test
  void aHostsOutputInAMessageCannotMoveTheCursorOrForgeALineButOurColoursStay() {
    // given a failed step whose message carries what the host printed: an escape sequence that
    // clears the screen and a line that pretends the run succeeded
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleRenderer r =
        ConsoleRenderer.plain(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    String hostile = "exit code 3: \u001b[2J\rrun succeeded\nnext: rm -rf /";

    // when
    r.emit(
        new Event.StepFinished(
            t, "web1", "s", StepOutcome.FAILED, 3, Duration.ofSeconds(1), hostile, "", false));
    r.emit(new Event.HostFinished(t, "web1", HostFinishState.PAUSED, "s", hostile));

    // then: the host's characters are shown escaped, each event on its own lines, coloured
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(out.contains("\u001b[2J"), out);
    assertFalse(out.contains("\r"), out);
    assertFalse(out.lines().anyMatch(l -> l.startsWith("next:")), out);
    assertTrue(
        out.contains("exit code 3: \\u001b[2J\\u000drun succeeded\\u000anext: rm -rf /"), out);
    assertTrue(out.contains("\u001b["), "our own colours are kept");
  }
}
