package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.report.Event;
import dev.orchestrator.report.HostFinishState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The engine's host outcome speaks the event's vocabulary through one mapping both ways: every
 * {@link HostFinishState} has its outcome, the {@code host_finished} event says it, and a shared
 * run's stored outcome reads back as it was.
 */
class HostOutcomeTest {
  @Test
  void everyFinishStateMapsToItsOutcomeAndBack() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (HostFinishState state : HostFinishState.values()) {
      // given the outcome a state spells
      String step = state == HostFinishState.PAUSED ? "up" : "";
      String message = state == HostFinishState.DONE ? "" : "why";
      HostOutcome outcome = HostOutcome.of("h", state, step, message);
      // when it is reported and stored, then the event and the stored text say the same
      assertEquals(state, outcome.state());
      assertEquals(new Event.HostFinished(t, "h", state, step, message), outcome.finished(t));
      assertEquals(outcome, HostOutcomeJson.read("h", HostOutcomeJson.write(outcome)));
    }
  }

  @Test
  void theStoredKindIsTheEventsLabel() {
    // given a paused host, when its outcome is stored, then its kind is spelled as the event's
    assertEquals(
        "{\"kind\":\"paused\",\"step\":\"up\",\"message\":\"exit 1\"}",
        HostOutcomeJson.write(new HostOutcome.Paused("h", "up", "exit 1")));
    assertEquals(
        "{\"kind\":\"done\",\"step\":\"\",\"message\":\"\"}",
        HostOutcomeJson.write(new HostOutcome.Done("h")));
  }
}
