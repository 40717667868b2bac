package dev.orchestrator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orchestrator.common.Labelled;
import java.io.PrintStream;

/**
 * {@code --output json}: one JSON object per line and event, {@code {"schema":1,"event":
 * "step_finished", "at": "...", ...}}, in the form {@link EventJson} declares (durations in
 * milliseconds, {@code duration_ms}; every state by its {@link Labelled#label()}, a run's status
 * too, which {@code run.json} spells by its Java name).
 *
 * <p>{@link #MAPPER} is the general mapper of the report package's other JSON (the plan); events
 * are written and read by {@link EventJson} only.
 */
public final class JsonEventRenderer implements EventSink {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .registerModule(
              new SimpleModule().addSerializer(Labelled.class, new EventJson.LabelWriter()));

  private final java.io.PrintWriter out;

  /** Creates a renderer writing to {@code out}, encoded as UTF-8. */
  public JsonEventRenderer(PrintStream out) {
    this(ConsoleRenderer.utf8(out));
  }

  /** Creates a renderer writing to {@code out} (the caller's writer, e.g. picocli's). */
  public JsonEventRenderer(java.io.PrintWriter out) {
    this.out = out;
  }

  @Override
  public synchronized void emit(Event event) {
    out.println(line(event));
    out.flush();
  }

  /**
   * Serialises an event as its JSON line, without the line break: what {@link #emit} prints and
   * what a run's recorded event stream holds ({@link EventJson#write}).
   *
   * @throws IllegalStateException if the event cannot be serialised (a bug)
   */
  public static String line(Event event) {
    return EventJson.write(event);
  }
}
