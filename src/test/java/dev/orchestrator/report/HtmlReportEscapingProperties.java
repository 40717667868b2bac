package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile input is normal input: whatever text a run's events carry (playbook name, host name, step
 * id, stage, gate, messages, the operator, the step's output), the report (Pebble, autoescaped)
 * adds no markup and no attribute break-out for it: a report rendered with the text has exactly as
 * many {@code <}, {@code >}, {@code "} and {@code '} characters as the same report rendered with a
 * harmless {@code x}.
 */
class HtmlReportEscapingProperties {
  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("<>&\"'`/=;:()[]{}\\ \t\nabcxyz012!?%#")
            .ofMinLength(1)
            .ofMaxLength(40),
        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20),
        Arbitraries.of(
            "<script>alert(1)</script>",
            "\"><svg onload=alert(1)>",
            "' onmouseover='alert(1)",
            "a & b &amp; c",
            "{{ 7*7 }}",
            "</pre><script>x</script>"));
  }

  /**
   * A paused run whose every text field, and every step's output, is {@code s}, beside a second
   * host whose name is never {@code s} (a host named like it would be one host, and change the
   * page's shape: jqwik once drew "b").
   */
  private static String report(String s) {
    Instant t = Instant.parse("2026-11-21T08:00:00Z");
    String b = s.equals("b") ? "c" : "b";
    List<Event> events =
        List.of(
            new Event.RunStarted(t, "r", s, false, List.of(s, b)),
            new Event.GateEvaluated(t, s, s, GateState.WAITING, s),
            new Event.OperatorAction(t.plusSeconds(1), s, s, s),
            new Event.GateEvaluated(t.plusSeconds(1), s, s, GateState.APPROVED, s),
            new Event.StageStarted(t.plusSeconds(1), s, 1, 2),
            new Event.BatchStarted(t.plusSeconds(1), s, 1, 1, List.of(s, b), List.of(s, b)),
            new Event.StepStarted(t.plusSeconds(2), s, s, s, 1),
            new Event.StepFinished(
                t.plusSeconds(3), s, s, StepOutcome.FAILED, 1, Duration.ofSeconds(1), s, s, false),
            new Event.HostFinished(t.plusSeconds(3), s, HostFinishState.PAUSED, s, s),
            new Event.StepStarted(t.plusSeconds(2), b, s, s, 1),
            new Event.RunFinished(
                t.plusSeconds(4), "r", RunStatus.PAUSED, s, Duration.ofSeconds(4), s));
    return HtmlReport.render("r", events, location -> s);
  }

  private static long count(String page, char c) {
    return page.chars().filter(ch -> ch == c).count();
  }

  @Property(tries = 200)
  void eventTextAddsNoMarkupToTheReport(@ForAll("hostile") String s) {
    // given the report of a run whose every text is s, and the same report with x
    String hostile = report(s);
    String harmless = report("x");
    // then s added no tag, no attribute quote, and no script
    for (char c : new char[] {'<', '>', '"', '\''}) {
      assertEquals(count(harmless, c), count(hostile, c), "count of " + c + " for " + s);
    }
    assertFalse(hostile.contains("<script"), s);
  }
}
