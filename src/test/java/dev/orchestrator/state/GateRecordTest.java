package dev.orchestrator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A soak's start is a field of its waiting record; a record of the previous version, which kept it
 * only in its message, reads the same.
 */
class GateRecordTest {
  private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

  @Test
  void aSoakingRecordWritesItsStartAsAFieldAndReadsItBack() throws Exception {
    // given
    GateRecord soaking = GateRecord.soaking("prod/before/0", T, T.plusSeconds(1));
    // when
    String json = Json.MAPPER.writeValueAsString(soaking);
    // then
    assertEquals(
        "{\"gate\":\"prod/before/0\",\"state\":\"waiting\",\"message\":\"since "
            + T
            + "\",\"at\":\"2026-01-02T03:04:06Z\",\"waitingSince\":\"2026-01-02T03:04:05Z\"}",
        json);
    assertEquals(soaking, Json.MAPPER.readValue(json, GateRecord.class));
  }

  @Test
  void aRecordWithoutASoakStartHasNoSuchField() throws Exception {
    // given
    GateRecord approved = new GateRecord("prod/before/0", GateState.APPROVED, "by alice", T);
    // when
    String json = Json.MAPPER.writeValueAsString(approved);
    // then the line is the one the previous version wrote
    assertFalse(json.contains("waitingSince"), json);
    assertEquals(approved, Json.MAPPER.readValue(json, GateRecord.class));
  }

  @Test
  void aSoakOfThePreviousVersionReadsItsStartFromItsMessage() throws Exception {
    // given a waiting record written before waitingSince existed
    String old =
        "{\"gate\":\"g\",\"state\":\"waiting\",\"message\":\"since 2026-01-02T03:04:05Z\","
            + "\"at\":\"2026-01-02T03:04:06Z\"}";
    // when
    GateRecord read = Json.MAPPER.readValue(old, GateRecord.class);
    // then
    assertEquals(Optional.of(T), read.waitingSince());
    assertEquals("since 2026-01-02T03:04:05Z", read.message());
  }

  @Test
  void anApprovalQuestionStartingWithSinceIsNoSoak() throws Exception {
    // given
    String question =
        "{\"gate\":\"g\",\"state\":\"waiting\",\"message\":\"since QA passed, promote?\","
            + "\"at\":\"2026-01-02T03:04:06Z\"}";
    // when
    GateRecord read = Json.MAPPER.readValue(question, GateRecord.class);
    // then
    assertEquals(Optional.empty(), read.waitingSince());
  }

  @Test
  void onlyAWaitingRecordHasASoakStart() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new GateRecord("g", GateState.PASSED, "", T, Optional.of(T)));
  }
}
