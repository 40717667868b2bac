package dev.orchestrator.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reading a request's input: a JSON body, required parameters, numbers; bad input is a 400. */
final class Inputs {
  private Inputs() {}

  static JsonNode body(Context ctx) {
    String b = ctx.body();
    if (b == null || b.isBlank()) {
      return WebConsole.JSON.createObjectNode();
    }
    try {
      JsonNode n = WebConsole.JSON.readTree(b.getBytes(StandardCharsets.UTF_8));
      if (!n.isObject()) {
        throw new BadRequestResponse("the body must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new BadRequestResponse("the body is not JSON: " + e.getMessage());
    }
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.path(field);
    return n.isTextual() ? n.asText() : "";
  }

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
      throw new BadRequestResponse("not a number: " + s);
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
  static String comment(JsonNode body) {
    String c = text(body, "comment").replaceAll("[\\p{Cc}\\p{Cf}\\u2028\\u2029]", " ").strip();
    return c.length() > MAX_COMMENT ? c.substring(0, MAX_COMMENT) : c;
  }
}
