package dev.orchestrator.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code --output json}: one JSON object per line and event, {@code {"schema":1,"event":
 * "step_finished", "at": "...", ...}}; durations in milliseconds ({@code duration_ms}).
 */
public final class JsonEventRenderer implements EventSink {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

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
      out.println(MAPPER.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise event " + event, e);
    }
    out.flush();
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
