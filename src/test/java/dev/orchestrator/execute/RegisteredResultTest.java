package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.template.RegisteredResult;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a step registers has the fields of Ansible's results, whether it ran or was skipped. */
class RegisteredResultTest {
  @Test
  void aStepThatRanRegistersEveryField() {
    // given a command's result
    ExecResult result = new ExecResult(0, "one\ntwo\n", "warn\n", Duration.ofMillis(3), false);

    // when registered
    Map<String, Object> r = StepAttempt.registered(result, 1);

    // then every field is there, with values of the kind templates were checked against
    assertTrue(r.keySet().containsAll(RegisteredResult.FIELDS.keySet()), r.toString());
    RegisteredResult.FIELDS.forEach(
        (field, type) -> assertTrue(type.isInstance(r.get(field)), field + ": " + r.get(field)));
    assertEquals(List.of("one", "two"), r.get("stdout_lines"));
    assertEquals(List.of("warn"), r.get("stderr_lines"));
    assertEquals(false, r.get("skipped"));
  }

  @Test
  void aSkippedStepRegistersEveryFieldToo() {
    Map<String, Object> r = RegisteredResult.skipped();
    assertEquals(RegisteredResult.FIELDS.keySet(), r.keySet());
    RegisteredResult.FIELDS.forEach(
        (field, type) -> assertTrue(type.isInstance(r.get(field)), field + ": " + r.get(field)));
    assertEquals(true, r.get("skipped"));
    assertEquals(false, r.get("changed"));
  }

  @Test
  void aStepDeclaredDoneRegistersEveryFieldAsChangedNotSkipped() {
    // given a step the operator declared done (resume --assume-done), when it registers
    Map<String, Object> r = RegisteredResult.assumedDone();
    // then every field is there: rc 0, no output, changed (its effect is unknown), not skipped
    assertEquals(RegisteredResult.FIELDS.keySet(), r.keySet());
    RegisteredResult.FIELDS.forEach(
        (field, type) -> assertTrue(type.isInstance(r.get(field)), field + ": " + r.get(field)));
    assertEquals(0, r.get("rc"));
    assertEquals(true, r.get("changed"));
    assertEquals(false, r.get("skipped"));
    assertEquals(false, r.get("failed"));
  }
}
