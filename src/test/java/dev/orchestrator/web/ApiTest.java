package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.common.ErrorKind;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The web console's one mapping of the service's error kinds to HTTP statuses. */
class ApiTest {
  @Test
  void everyErrorKindHasItsHttpStatus() {
    // given the statuses the README's API section promises, by kind
    Map<ErrorKind, Integer> expected = new EnumMap<>(ErrorKind.class);
    expected.put(ErrorKind.BUG, 500);
    expected.put(ErrorKind.INVALID_INPUT, 400);
    expected.put(ErrorKind.NOT_FOUND, 404);
    expected.put(ErrorKind.NOT_ALLOWED, 403);
    expected.put(ErrorKind.CONFLICT, 409);
    expected.put(ErrorKind.RUN_ABORTED, 409);
    expected.put(ErrorKind.UPSTREAM_FAILED, 502);
    expected.put(ErrorKind.STATE_UNAVAILABLE, 503);
    // when each kind is mapped, then it gets its status, and no kind is left out
    assertEquals(ErrorKind.values().length, expected.size());
    expected.forEach((kind, status) -> assertEquals(status, Api.status(kind), kind.name()));
  }
}
