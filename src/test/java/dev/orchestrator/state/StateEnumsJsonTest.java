package dev.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The state enums' JSON spellings are the strings earlier versions wrote to {@code journal.jsonl}
 * and {@code run.json}: pinned here, read back, and read from the Java names too.
 */
class StateEnumsJsonTest {
  /** Every constant with the spelling on disk before the states were typed. */
  private static final Map<Enum<?>, String> ON_DISK = new LinkedHashMap<>();

  static {
    ON_DISK.put(HostState.UNREACHABLE, "unreachable");
    ON_DISK.put(HostState.DONE, "done");
    ON_DISK.put(HostState.ROLLED_BACK, "rolled-back");
    ON_DISK.put(GateState.PENDING, "pending"); // plan JSON only: never journaled
    ON_DISK.put(GateState.WAITING, "waiting");
    ON_DISK.put(GateState.PASSED, "passed");
    ON_DISK.put(GateState.FAILED, "failed");
    ON_DISK.put(GateState.APPROVED, "approved");
    ON_DISK.put(GateState.REJECTED, "rejected");
    ON_DISK.put(LeaseState.ACTIVE, "active");
    ON_DISK.put(LeaseState.PAUSED, "paused");
    ON_DISK.put(LeaseState.RELEASED, "released");
    ON_DISK.put(LeaseState.LOST, "lost");
    ON_DISK.put(LeaseState.UNRELEASED, "unreleased");
    ON_DISK.put(RunStatus.RUNNING, "RUNNING"); // run.json: the Java name
    ON_DISK.put(RunStatus.SUCCEEDED, "SUCCEEDED");
    ON_DISK.put(RunStatus.PAUSED, "PAUSED");
    ON_DISK.put(RunStatus.ABORTED, "ABORTED");
  }

  @Test
  void everyConstantIsPinned() {
    for (Class<?> type :
        new Class<?>[] {HostState.class, GateState.class, LeaseState.class, RunStatus.class}) {
      for (Object c : type.getEnumConstants()) {
        assertTrue(
            ON_DISK.containsKey(c), type.getSimpleName() + "." + c + " has no pinned spelling");
      }
    }
  }

  @Test
  void eachStateIsWrittenAndReadAsBefore() throws Exception {
    for (Map.Entry<Enum<?>, String> e : ON_DISK.entrySet()) {
      Class<?> type = e.getKey().getDeclaringClass();
      String json = "\"" + e.getValue() + "\"";
      assertEquals(json, Json.MAPPER.writeValueAsString(e.getKey()), e.getKey().toString());
      assertEquals(e.getKey(), Json.MAPPER.readValue(json, type), json);
    }
  }

  @Test
  void javaNamesAndLabelsBothRead() throws Exception {
    for (Class<? extends Enum<?>> type :
        java.util.List.of(HostState.class, GateState.class, LeaseState.class)) {
      for (Enum<?> c : type.getEnumConstants()) {
        String label = ((dev.orchestrator.common.Labelled) c).label();
        assertEquals(c, Json.MAPPER.readValue("\"" + c.name() + "\"", type));
        assertEquals(
            c, Json.MAPPER.readValue("\"" + c.name().toLowerCase(Locale.ROOT) + "\"", type));
        assertEquals(c, Json.MAPPER.readValue("\"" + label + "\"", type));
      }
    }
  }

  @Test
  void anUnknownStateIsRefusedNamingTheKnownOnes() {
    // given a host record with a state no version wrote
    String line =
        "{\"host\":\"h\",\"state\":\"vanished\",\"message\":\"\",\"at\":\"2026-01-02T03:04:05Z\"}";
    // when / then
    Exception e =
        assertThrows(Exception.class, () -> Json.MAPPER.readValue(line, HostRecord.class));
    assertTrue(
        e.getMessage()
            .contains(
                "'vanished' is not a HostState; expected one of unreachable, done,"
                    + " rolled-back"),
        e.getMessage());
  }

  @Test
  void aGateRecordIsNeverPending() {
    Instant t = Instant.EPOCH;
    assertThrows(
        IllegalArgumentException.class, () -> new GateRecord("g", GateState.PENDING, "", t));
    assertThrows(
        ValueInstantiationException.class,
        () ->
            Json.MAPPER.readValue(
                "{\"gate\":\"g\",\"state\":\"pending\",\"message\":\"\",\"at\":\"1970-01-01T00:00:00Z\"}",
                GateRecord.class));
    assertTrue(Arrays.stream(GateState.values()).filter(GateState::open).count() == 2);
    assertTrue(GateState.PASSED.open() && GateState.APPROVED.open());
  }
}
