package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.report.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each engine result of a step says its own event outcome, and every outcome has its result. */
class StepResultTest {
  @Test
  void everyResultHasItsOwnOutcomeAndEveryOutcomeAResult() {
    // given one of each result
    List<StepResult> results =
        List.of(
            new StepResult.Succeeded(1, 0, Map.of(), "", true),
            new StepResult.Skipped("when"),
            new StepResult.Retrying(1, Instant.EPOCH, "", Duration.ofSeconds(1)),
            new StepResult.Failed("exit 1"),
            new StepResult.Lost("dropped"),
            new StepResult.InDoubt("unknown"),
            new StepResult.Ignored(1, 3, Map.of("failed", true), ""));
    assertEquals(
        Set.of(StepResult.class.getPermittedSubclasses()),
        results.stream().map(Object::getClass).collect(Collectors.toSet()));
    // when mapped, then one outcome each, covering the event's vocabulary
    assertEquals(
        List.of(
            StepOutcome.SUCCEEDED,
            StepOutcome.SKIPPED,
            StepOutcome.RETRYING,
            StepOutcome.FAILED,
            StepOutcome.LOST,
            StepOutcome.IN_DOUBT,
            StepOutcome.IGNORED),
        results.stream().map(StepResult::outcome).toList());
    assertEquals(
        Set.of(StepOutcome.values()),
        results.stream().map(StepResult::outcome).collect(Collectors.toSet()));
  }
}
