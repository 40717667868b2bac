package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event enums' JSON spellings ({@code --output json}, {@code events.jsonl}) are the strings
 * earlier versions emitted: pinned here, read back (the HTML report reads recorded streams), and
 * the run status is spelled in lower case in events although {@code run.json} keeps its Java name.
 */
class EventStatesJsonTest {
  private static final Map<Enum<?>, String> EMITTED = new LinkedHashMap<>();

  static {
    EMITTED.put(StepOutcome.SUCCEEDED, "succeeded");
    EMITTED.put(StepOutcome.FAILED, "failed");
    EMITTED.put(StepOutcome.IGNORED, "ignored");
    EMITTED.put(StepOutcome.SKIPPED, "skipped");
    EMITTED.put(StepOutcome.RETRYING, "retrying");
    EMITTED.put(StepOutcome.LOST, "lost");
    EMITTED.put(StepOutcome.IN_DOUBT, "in doubt");
    EMITTED.put(HostFinishState.DONE, "done");
    EMITTED.put(HostFinishState.PAUSED, "paused");
    EMITTED.put(HostFinishState.UNREACHABLE, "unreachable");
    EMITTED.put(HostFinishState.REFUSED, "refused");
    EMITTED.put(ProgressUnit.ITEMS, "items");
    EMITTED.put(ProgressUnit.BYTES, "bytes");
  }

  @Test
  void eachEventStateIsWrittenAndReadAsBefore() throws Exception {
    for (Class<?> type :
        new Class<?>[] {StepOutcome.class, HostFinishState.class, ProgressUnit.class}) {
      for (Object c : type.getEnumConstants()) {
        assertTrue(EMITTED.containsKey(c), c + " has no pinned spelling");
      }
    }
    for (Map.Entry<Enum<?>, String> e : EMITTED.entrySet()) {
      String json = "\"" + e.getValue() + "\"";
      assertEquals(json, JsonEventRenderer.MAPPER.writeValueAsString(e.getKey()));
      assertEquals(
          e.getKey(), JsonEventRenderer.MAPPER.readValue(json, e.getKey().getDeclaringClass()));
      assertEquals(
          e.getKey(),
          JsonEventRenderer.MAPPER.readValue(
              "\"" + e.getKey().name() + "\"", e.getKey().getDeclaringClass()));
    }
    assertThrows(
        Exception.class,
        () -> JsonEventRenderer.MAPPER.readValue("\"indoubt\"", StepOutcome.class));
  }

  @Test
  void eventLinesCarryTheLabels() throws Exception {
    // given
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonEventRenderer json =
        new JsonEventRenderer(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    // when
    json.emit(
        new Event.StepFinished(
            t, "h", "s", StepOutcome.IN_DOUBT, null, Duration.ZERO, "", "", false));
    json.emit(new Event.StepProgress(t, "h", "s", 1, 2, ProgressUnit.BYTES, ""));
    json.emit(new Event.HostFinished(t, "h", HostFinishState.UNREACHABLE, "", "down"));
    json.emit(new Event.GateEvaluated(t, "all/before/0", "wait 1s", GateState.WAITING, ""));
    json.emit(new Event.RunFinished(t, "r", RunStatus.ABORTED, "", Duration.ZERO, ""));
    // then
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals("in doubt", field(lines[0], "status"));
    assertEquals("bytes", field(lines[1], "unit"));
    assertEquals("unreachable", field(lines[2], "state"));
    assertEquals("waiting", field(lines[3], "state"));
    assertEquals("aborted", field(lines[4], "status"));
  }

  @Test
  void eventsRefuseStatesTheyNeverCarry() {
    Instant t = Instant.EPOCH;
    assertThrows(
        IllegalArgumentException.class,
        () -> new Event.RunFinished(t, "r", RunStatus.RUNNING, "", Duration.ZERO, ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Event.GateEvaluated(t, "g", "d", GateState.PENDING, ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Event.GateEvaluated(t, "g", "d", GateState.REJECTED, ""));
  }

  private static String field(String line, String name) throws Exception {
    JsonNode n = JsonEventRenderer.MAPPER.readTree(line);
    return n.path(name).asText();
  }
}
