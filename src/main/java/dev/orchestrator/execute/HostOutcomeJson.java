package dev.orchestrator.execute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.report.HostFinishState;
import dev.orchestrator.state.Json;

/**
 * A {@link HostOutcome} as the text a shared run's work item keeps ({@code {"kind": "done" |
 * "paused" | "refused" | "unreachable", "step": ..., "message": ...}}: the kind is the outcome's
 * {@link HostFinishState} label, as in the {@code host_finished} event), so that the coordinator
 * decides on outcomes other controllers reached exactly as on its own.
 */
final class HostOutcomeJson {
  private static final ObjectMapper JSON = Json.mapper();

  private HostOutcomeJson() {}

  private record Stored(String kind, String step, String message) {}

  static String write(HostOutcome outcome) {
    Stored s = new Stored(outcome.state().label(), outcome.step(), outcome.message());
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads an outcome.
   *
   * @throws IllegalStateException when the text is not one (a bug, or a newer version's kind)
   */
  static HostOutcome read(String host, String text) {
    Stored s;
    try {
      s = JSON.readValue(text, Stored.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not a host outcome: " + text, e);
    }
    String message = s.message() == null ? "" : s.message();
    HostFinishState state;
    try {
      state = HostFinishState.of(s.kind());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("not a host outcome: " + text, e);
    }
    return HostOutcome.of(host, state, s.step() == null ? "" : s.step(), message);
  }
}
