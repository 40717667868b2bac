package dev.orchestrator.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.orchestrator.common.Echo;
import dev.orchestrator.common.InputException;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/** Reading a request's input: a JSON body, required parameters, numbers; bad input is a 400. */
final class Inputs {
  private Inputs() {}

  /**
   * Reads the JSON body of an action into its record ({@link Bodies}): an object, or nothing (all
   * fields take their defaults).
   *
   * @throws InputException (400) when it is not JSON, not an object, has a field the call does not
   *     take (naming it and the ones it takes) or a field of the wrong type
   */
  static <T extends Record> T bind(Context ctx, Class<T> type) {
    String b = ctx.body();
    return bind(b == null || b.isBlank() ? "{}" : b, type);
  }

  /** {@link #bind(Context, Class)} of a body's text. */
  static <T extends Record> T bind(String body, Class<T> type) {
    List<String> accepted =
        Arrays.stream(type.getRecordComponents()).map(c -> snake(c.getName())).toList();
    String takes =
        "this call takes " + (accepted.isEmpty() ? "no fields" : String.join(", ", accepted));
    try {
      JsonNode tree = STRICT.readTree(body);
      if (tree == null || !tree.isObject()) {
        throw new InputException("the body must be a JSON object", takes);
      }
      return STRICT.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw new InputException(
          "unknown field " + Echo.quote(e.getPropertyName()) + " in the body", takes);
    } catch (MismatchedInputException e) {
      String field =
          e.getPath().isEmpty() || e.getPath().get(0).getFieldName() == null
              ? ""
              : e.getPath().get(0).getFieldName();
      if (!accepted.contains(field)) {
        throw new InputException("the body does not match what this call takes", takes);
      }
      throw new InputException(
          "field '" + field + "' must be " + expected(type, field), "fix its value; " + takes);
    } catch (JsonProcessingException e) {
      throw new InputException(
          "the body is not JSON"
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"),
          "send a JSON object; " + takes);
    }
  }

  /** What a field of a body must be, by its component's type. */
  private static String expected(Class<? extends Record> type, String field) {
    for (RecordComponent c : type.getRecordComponents()) {
      if (snake(c.getName()).equals(field)) {
        Class<?> t = c.getType();
        if (t == boolean.class || t == Boolean.class) {
          return "true or false";
        }
        if (t == String.class) {
          return "a string";
        }
        if (List.class.isAssignableFrom(t)) {
          return "a list of strings";
        }
      }
    }
    return "of another type";
  }

  /** A record component's name as the body spells it: Jackson's snake_case, as {@link #STRICT}. */
  private static String snake(String name) {
    return SNAKE_CASE.translate(name);
  }

  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  /**
   * Binds bodies strictly: unknown fields, trailing content, duplicate keys and scalars of another
   * type ({@code "true"} for a boolean, {@code 1} for a string) are errors, not guesses.
   */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .propertyNamingStrategy(SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new BadRequestResponse("'" + name + "' is required");
    }
    return value;
  }

  static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  static long parseLong(String s) {
    if (s == null || s.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      throw new BadRequestResponse("not a number: " + Echo.quote(s));
    }
  }

  /**
   * A {@code Last-Event-ID}: how many events the client has seen (0 when absent); anything but a
   * whole number of at most 9 digits is a 400, said before the event stream starts.
   */
  static int eventId(String header) {
    if (header == null || header.isBlank()) {
      return 0;
    }
    if (!header.strip().matches("[0-9]{1,9}")) {
      throw new BadRequestResponse(
          "Last-Event-ID must be the number of events seen (0 or more), as the stream's ids are");
    }
    return Integer.parseInt(header.strip());
  }

  /** The longest comment kept (characters); a longer one is cut there. */
  static final int MAX_COMMENT = 1000;

  /**
   * A person's comment ({@code comment}), as records and terminals will show it: control characters
   * (which could move a terminal's cursor or forge lines in {@code status}) become spaces, and it
   * is cut at {@link #MAX_COMMENT} characters.
   */
  static String comment(String text) {
    String c = text.replaceAll("[\\p{Cc}\\p{Cf}\\u2028\\u2029]", " ").strip();
    return c.length() > MAX_COMMENT ? c.substring(0, MAX_COMMENT) : c;
  }
}
