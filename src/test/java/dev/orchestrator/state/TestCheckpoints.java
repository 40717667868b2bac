package dev.orchestrator.state;

import java.time.Instant;
import java.util.Map;

/**
 * Checkpoints for tests: without a step definition hash. Production always records the hash (or an
 * empty one explicitly); this was {@code Checkpoint}'s 10-argument constructor, used only by tests
 * (issue 23).
 */
public final class TestCheckpoints {
  private TestCheckpoints() {}

  /** A checkpoint without a step hash. */
  public static Checkpoint of(
      String host,
      String stepId,
      StepStatus status,
      int attempt,
      Instant startedAt,
      Instant endedAt,
      Integer exitCode,
      String message,
      Map<String, Object> registered,
      String logFile) {
    return new Checkpoint(
        host,
        stepId,
        status,
        attempt,
        startedAt,
        endedAt,
        exitCode,
        message,
        registered,
        logFile,
        "");
  }
}
