package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.jsontype.NamedType;
import dev.orchestrator.state.GateState;
import dev.orchestrator.state.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The event form {@link EventJson} declares: the same bytes as the hand-written serialiser of
 * earlier versions, every event read back equal, and a reader's tolerance of what it does not know.
 */
class EventJsonTest {
  /** One of each event, with every field set (and a null exit code, a duration with nanos). */
  static List<Event> samples() {
    Instant t = Instant.parse("2026-11-21T08:00:00.123Z");
    return List.of(
        new Event.RunStarted(
            t, "20261121-080000-demo-0001", "demo", true, 2, List.of("a", "b"), true),
        new Event.StageStarted(t, "production", 2, 10),
        new Event.BatchStarted(t, "production", 1, 2, List.of("a", "b"), List.of("a")),
        new Event.StepStarted(t, "a", "up", "Run \"occ\" <upgrade> & more", 2),
        new Event.StepFinished(
            t,
            "a",
            "up",
            StepOutcome.IN_DOUBT,
            null,
            Duration.ofMillis(1500),
            "why",
            "logs/a/up.1.log",
            false),
        new Event.StepFinished(
            t, "b", "up", StepOutcome.SUCCEEDED, 0, Duration.ofNanos(2_345_600_000L), "", "", true),
        new Event.StepProgress(t, "a", "up", 5, 10, ProgressUnit.BYTES, "copying ünïcode"),
        new Event.StepWarning(t, "a", "up", "careful\nnow"),
        new Event.StepOutput(t, "a", "up", "line 1\nline 2", "oops"),
        new Event.ArtifactProgress(t, "release", 1024, -1),
        new Event.ArtifactReady(t, "release", "https://x/y.tar.gz", 1024, "ab12", true),
        new Event.HostFinished(t, "a", HostFinishState.PAUSED, "up", "exit code 3"),
        new Event.GateEvaluated(
            t, "production/before/1", "wait 1s", GateState.APPROVED, "by alice"),
        new Event.RolloutPaused(t, "production", 1, "1 failed"),
        new Event.OperatorAction(t, "approve", "alice (web console, from 10.0.0.5)", "gate x"),
        new Event.RunFinished(
            t,
            "20261121-080000-demo-0001",
            RunStatus.PAUSED,
            "1 failed",
            Duration.ofSeconds(61),
            "orchestrator resume x"));
  }

  @Test
  void eachEventIsWrittenAsEarlierVersionsWroteIt() throws Exception {
    // given one of each event, and the lines the hand-written serialiser of earlier versions wrote
    // for them (src/test/resources/events/golden.jsonl, captured before the form was declared)
    List<String> golden =
        Files.readAllLines(
            Path.of("src/test/resources/events/golden.jsonl"), StandardCharsets.UTF_8);
    // when they are written
    List<String> written = samples().stream().map(EventJson::write).toList();
    // then each line is byte for byte the same
    assertEquals(golden, written);
  }

  @Test
  void everyEventTypeIsCoveredAndReadBackEqual() throws Exception {
    // given one of each event type
    List<Event> samples = samples();
    assertEquals(
        Set.of(Event.class.getPermittedSubclasses()),
        samples.stream().map(Object::getClass).collect(Collectors.toSet()),
        "a sample of every event type");
    for (Event e : samples) {
      // when it is written and read back
      Optional<Event> read = EventJson.read(EventJson.write(e));
      // then it is the same event (durations at millisecond precision)
      assertEquals(Optional.of(atMillis(e)), read, EventJson.write(e));
    }
  }

  @Test
  void theGoldenLinesReadBackAsTheirEvents() throws Exception {
    // given the lines earlier versions wrote
    List<String> golden =
        Files.readAllLines(
            Path.of("src/test/resources/events/golden.jsonl"), StandardCharsets.UTF_8);
    // when read, then they are the events they were written from
    List<Event> read = new java.util.ArrayList<>();
    for (String line : golden) {
      read.add(EventJson.read(line).orElseThrow());
    }
    assertEquals(samples().stream().map(EventJsonTest::atMillis).toList(), read);
  }

  @Test
  void readersIgnoreWhatTheyDoNotKnowAndFillWhatOlderLinesLack() throws Exception {
    // given a newer version's event, a known event with a new field, and an older line
    String newer = "{\"schema\":1,\"event\":\"host_rebooted\",\"at\":\"2026-01-01T00:00:00Z\"}";
    String extra =
        "{\"schema\":1,\"event\":\"step_warning\",\"at\":\"2026-01-01T00:00:00Z\","
            + "\"host\":\"h\",\"step\":\"s\",\"message\":\"m\",\"severity\":\"high\"}";
    String older =
        "{\"schema\":1,\"event\":\"batch_started\",\"at\":\"2026-01-01T00:00:00Z\","
            + "\"stage\":\"all\",\"batch\":1,\"of\":1,\"hosts\":[\"h\"]}";
    // when read, then the unknown event is left out, the unknown field ignored, the missing list
    // empty
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertEquals(Optional.empty(), EventJson.read(newer));
    assertEquals(Optional.of(new Event.StepWarning(t, "h", "s", "m")), EventJson.read(extra));
    assertEquals(
        Optional.of(new Event.BatchStarted(t, "all", 1, 1, List.of("h"), List.of())),
        EventJson.read(older));
  }

  @Test
  void aStateThisVersionDoesNotKnowIsRefusedNamingIt() {
    // given a step_finished whose status a newer version added
    String line =
        "{\"schema\":1,\"event\":\"step_finished\",\"at\":\"2026-01-01T00:00:00Z\","
            + "\"host\":\"h\",\"step\":\"s\",\"status\":\"teleported\",\"exit_code\":null,"
            + "\"duration_ms\":0,\"message\":\"\",\"log_file\":\"\",\"changed\":false}";
    // when read, then it is an error naming the spelling
    Exception e = assertThrows(java.io.IOException.class, () -> EventJson.read(line));
    assertTrue(e.getMessage().contains("teleported"), e.getMessage());
  }

  @Test
  void everyDurationIsAMillisecondFieldThatSaysSo() {
    // given the fields the type information declares, when a field is a duration, then its name
    // ends in _ms (the value is whole milliseconds: MillisWriter)
    for (NamedType type : EventJson.types()) {
      EventJson.fields(type.getType())
          .forEach(
              (name, javaType) ->
                  assertEquals(
                      javaType == Duration.class,
                      name.endsWith("_ms"),
                      type.getName() + "." + name));
    }
  }

  /** The event as it reads back: durations rounded to whole milliseconds. */
  private static Event atMillis(Event e) {
    if (e instanceof Event.StepFinished f) {
      return new Event.StepFinished(
          f.at(),
          f.host(),
          f.step(),
          f.status(),
          f.exitCode(),
          Duration.ofMillis(EventJson.millis(f.duration())),
          f.message(),
          f.logFile(),
          f.changed());
    }
    return e;
  }
}
