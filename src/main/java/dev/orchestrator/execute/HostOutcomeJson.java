package dev.orchestrator.execute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.state.Json;

/**
 * A {@link HostOutcome} as the text a shared run's work item keeps ({@code {"kind": "done" |
 * "paused" | "refused" | "unreachable", "step": ..., "message": ...}}), so that the coordinator
 * decides on outcomes other controllers reached exactly as on its own.
 */
final class HostOutcomeJson {
  private static final ObjectMapper JSON = Json.mapper();

  private HostOutcomeJson() {}

  private record Stored(String kind, String step, String message) {}

  static String write(HostOutcome outcome) {
    Stored s;
    if (outcome instanceof HostOutcome.Paused p) {
      s = new Stored("paused", p.step(), p.message());
    } else if (outcome instanceof HostOutcome.Refused r) {
      s = new Stored("refused", "", r.message());
    } else if (outcome instanceof HostOutcome.Unreachable u) {
      s = new Stored("unreachable", "", u.message());
    } else {
      s = new Stored("done", "", "");
    }
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
    return switch (s.kind()) {
      case "done" -> new HostOutcome.Done(host);
      case "paused" -> new HostOutcome.Paused(host, s.step() == null ? "" : s.step(), message);
      case "refused" -> new HostOutcome.Refused(host, message);
      case "unreachable" -> new HostOutcome.Unreachable(host, message);
      default -> throw new IllegalStateException("not a host outcome: " + text);
    };
  }
}
