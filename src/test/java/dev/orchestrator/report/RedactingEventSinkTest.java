package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.Redactor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The redacting sink masks secrets in every {@link Event} type, found from the sealed interface
 * itself: an event type added later is covered without a change here or in the sink.
 */
class RedactingEventSinkTest {
  private static final String SECRET = "s3cr3t-value";

  /**
   * An instance of {@code type} whose every string holds the secret; its enum components take the
   * first value the event accepts (a run does not finish RUNNING, say).
   */
  private static Event withSecrets(Class<?> type) throws Exception {
    IllegalArgumentException refused = null;
    for (int choice = 0; choice < 8; choice++) {
      try {
        return withSecrets(type, choice);
      } catch (java.lang.reflect.InvocationTargetException e) {
        if (!(e.getCause() instanceof IllegalArgumentException i)) {
          throw e;
        }
        refused = i;
      }
    }
    throw refused;
  }

  private static Event withSecrets(Class<?> type, int enumChoice) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      Class<?> t = components[i].getType();
      types[i] = t;
      args[i] =
          t == String.class
              ? "before " + SECRET + " after"
              : t == List.class
                  ? List.of("item " + SECRET)
                  : t == Instant.class
                      ? Instant.EPOCH
                      : t == Duration.class
                          ? Duration.ofSeconds(1)
                          : t == int.class || t == Integer.class
                              ? 1
                              : t == long.class || t == Long.class
                                  ? 1L
                                  : t == boolean.class
                                      ? true
                                      : t.isEnum()
                                          ? t.getEnumConstants()[
                                              Math.min(enumChoice, t.getEnumConstants().length - 1)]
                                          : null;
    }
    return (Event) type.getDeclaredConstructor(types).newInstance(args);
  }

  @Test
  void everyEventTypeIsMaskedInEveryString() throws Exception {
    // given a sink masking the secret
    Redactor redactor = new Redactor();
    redactor.addAll(Set.of(SECRET));
    List<Event> received = new ArrayList<>();
    EventSink sink = new RedactingEventSink(received::add, redactor);
    Class<?>[] types = Event.class.getPermittedSubclasses();
    assertTrue(types.length >= 13, "every event type: " + types.length);
    for (Class<?> type : types) {
      Event event = withSecrets(type);
      // when
      sink.emit(event);
      // then
      Event out = received.get(received.size() - 1);
      assertEquals(type, out.getClass());
      for (RecordComponent c : type.getRecordComponents()) {
        Object before = c.getAccessor().invoke(event);
        Object after = c.getAccessor().invoke(out);
        boolean text = c.getType() == String.class || c.getType() == List.class;
        if (text && !RedactingEventSink.IDENTITY.contains(c.getName())) {
          assertTrue(!after.toString().contains(SECRET), type.getSimpleName() + "." + c.getName());
          assertTrue(
              after.toString().contains("********"), type.getSimpleName() + "." + c.getName());
        } else {
          assertEquals(before, after, type.getSimpleName() + "." + c.getName() + " is kept");
        }
      }
    }
  }

  @Test
  void theFreeTextOfEventsIsMasked() {
    // a sample of what earlier versions masked field by field, and what they missed
    Redactor redactor = new Redactor();
    redactor.addAll(Set.of(SECRET));
    List<Event> received = new ArrayList<>();
    EventSink sink = new RedactingEventSink(received::add, redactor);
    sink.emit(
        new Event.StepFinished(
            Instant.EPOCH,
            "h1",
            "a",
            StepOutcome.FAILED,
            1,
            Duration.ZERO,
            "x " + SECRET,
            "",
            false));
    sink.emit(
        new Event.ArtifactReady(
            Instant.EPOCH, "rel", "https://h/" + SECRET + "/rel.tar", 1, "abc", false));
    sink.emit(
        new Event.GateEvaluated(
            Instant.EPOCH, "g/1", "d " + SECRET, dev.orchestrator.state.GateState.FAILED, SECRET));
    assertEquals("x ********", ((Event.StepFinished) received.get(0)).message());
    assertEquals("https://h/********/rel.tar", ((Event.ArtifactReady) received.get(1)).url());
    assertEquals("********", ((Event.GateEvaluated) received.get(2)).message());
    assertEquals("d ********", ((Event.GateEvaluated) received.get(2)).description());
  }

  @Test
  void namesAreKeptEvenWhenASecretAppearsInThem() {
    Redactor redactor = new Redactor();
    redactor.addAll(Set.of("secrets_file"));
    List<Event> received = new ArrayList<>();
    new RedactingEventSink(received::add, redactor)
        .emit(
            new Event.StepFinished(
                Instant.EPOCH,
                "h1",
                "from_secrets_file",
                StepOutcome.SUCCEEDED,
                0,
                Duration.ZERO,
                "",
                "",
                true));
    assertEquals("from_secrets_file", ((Event.StepFinished) received.get(0)).step());
  }

  @Test
  void anEventWithoutSecretsIsPassedOnAsItIs() {
    Redactor redactor = new Redactor();
    redactor.addAll(Set.of(SECRET));
    List<Event> received = new ArrayList<>();
    Event event = new Event.StepWarning(Instant.EPOCH, "h1", "a", "nothing secret");
    new RedactingEventSink(received::add, redactor).emit(event);
    assertSame(event, received.get(0));
  }

  @Test
  void aSecretLearnedLaterIsMaskedFromThenOn() {
    Redactor redactor = new Redactor();
    List<Event> received = new ArrayList<>();
    EventSink sink = new RedactingEventSink(received::add, redactor);
    sink.emit(new Event.StepWarning(Instant.EPOCH, "h1", "a", "x " + SECRET));
    redactor.addAll(Set.of(SECRET));
    sink.emit(new Event.StepWarning(Instant.EPOCH, "h1", "a", "x " + SECRET));
    assertEquals("x " + SECRET, ((Event.StepWarning) received.get(0)).message());
    assertEquals("x ********", ((Event.StepWarning) received.get(1)).message());
  }
}
