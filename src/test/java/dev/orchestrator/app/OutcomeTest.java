package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.execute.RunResult;
import dev.orchestrator.state.RunStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Outcome#of}: the one mapping from an execution's result to the command's outcome. */
class OutcomeTest {
  private static RunResult result(RunStatus status, boolean refused, boolean rolledBack) {
    return new RunResult("r1", status, "", List.of(), refused, rolledBack);
  }

  @Test
  void aForwardRunEndsAsItsStatusSays() {
    // given executions that succeeded or paused; when mapped; then the outcome follows the status
    assertEquals(Outcome.SUCCEEDED, Outcome.of(result(RunStatus.SUCCEEDED, false, false)));
    assertEquals(Outcome.PAUSED, Outcome.of(result(RunStatus.PAUSED, false, false)));
  }

  @Test
  void aHostHeldByAnotherRunIsRefusedWhateverTheStatus() {
    // given an execution where another run held a host's lease; when mapped; then refused (exit 4)
    assertEquals(Outcome.REFUSED, Outcome.of(result(RunStatus.PAUSED, true, false)));
    assertEquals(Outcome.REFUSED, Outcome.of(result(RunStatus.ABORTED, true, false)));
  }

  @Test
  void aRollbackIsAbortedOnlyWhenEveryHostRolledBack() {
    // given rollbacks that left the run aborted, complete or not; when mapped
    // then a complete one is aborted, an incomplete one paused (abort --rollback again)
    assertEquals(Outcome.ABORTED, Outcome.of(result(RunStatus.ABORTED, false, true)));
    assertEquals(Outcome.PAUSED, Outcome.of(result(RunStatus.ABORTED, false, false)));
  }
}
