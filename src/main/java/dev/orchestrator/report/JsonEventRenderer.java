package dev.orchestrator.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orchestrator.common.Labelled;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code --output json}: one JSON object per line and event, {@code {"schema":1,"event":
 * "step_finished", "at": "...", ...}}; durations in milliseconds ({@code duration_ms}); every state
 * by its {@link Labelled#label()} (a run's status too, which {@code run.json} spells by its Java
 * name).
 */
public final class JsonEventRenderer implements EventSink {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .registerModule(new SimpleModule().addSerializer(Labelled.class, new LabelWriter()));

  /** Writes a state as its label. */
  private static final class LabelWriter extends StdSerializer<Labelled> {
    private static final long serialVersionUID = 1L;

    LabelWriter() {
      super(Labelled.class);
    }

    @Override
    public void serialize(Labelled value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.label());
    }
  }

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
   * what a run's recorded event stream holds.
   *
   * @throws IllegalStateException if the event cannot be serialised (a bug)
   */
  public static String line(Event event) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("schema", Event.SCHEMA_VERSION);
    node.put("event", snake(event.getClass().getSimpleName()));
    ObjectNode fields = MAPPER.valueToTree(event);
    for (var it = fields.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getKey().equals("duration") || f.getKey().equals("wall")) {
        node.put(
            snake(f.getKey()) + "_ms",
            f.getValue().isNumber() ? Math.round(f.getValue().asDouble() * 1000) : 0);
      } else {
        node.set(snake(f.getKey()), f.getValue());
      }
    }
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise event " + event, e);
    }
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
