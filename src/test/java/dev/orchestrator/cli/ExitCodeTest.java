package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.common.ErrorKind;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of failure ends the CLI with the exit code the README ("Exit codes") documents. */
class ExitCodeTest {
  @Test
  void everyErrorKindHasItsDocumentedExitCode() {
    // given the README's table, by kind
    Map<ErrorKind, Integer> documented = new EnumMap<>(ErrorKind.class);
    documented.put(ErrorKind.BUG, 1);
    documented.put(ErrorKind.INVALID_INPUT, 2);
    documented.put(ErrorKind.NOT_FOUND, 2);
    documented.put(ErrorKind.UPSTREAM_FAILED, 3);
    documented.put(ErrorKind.CONFLICT, 4);
    documented.put(ErrorKind.NOT_ALLOWED, 4);
    documented.put(ErrorKind.RUN_ABORTED, 5);
    documented.put(ErrorKind.STATE_UNAVAILABLE, 6);
    // when each kind is mapped, then it ends with that code, and no kind is left out
    assertEquals(ErrorKind.values().length, documented.size());
    documented.forEach((kind, code) -> assertEquals(code, ExitCode.of(kind).code(), kind.name()));
  }
}
