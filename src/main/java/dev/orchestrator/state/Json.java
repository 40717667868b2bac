package dev.orchestrator.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The state store's JSON mapper: ISO-8601 instants, unknown properties tolerated (newer files). The
 * CLI prints state (and other documents) with {@link #pretty}.
 */
public final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .registerModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  /**
   * Returns a copy of the state's mapper, for a store outside this package (a database's) that
   * writes and reads the same JSON as the file store. Changing the copy changes nothing here.
   */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  /**
   * Writes a value as indented JSON, instants as ISO-8601 text.
   *
   * @throws com.fasterxml.jackson.core.JsonProcessingException if it cannot be serialized
   */
  public static String pretty(Object value)
      throws com.fasterxml.jackson.core.JsonProcessingException {
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }
}
