package dev.orchestrator.execute;

import dev.orchestrator.playbook.Step;
import dev.orchestrator.report.Event;
import dev.orchestrator.transport.ExecResult;
import java.time.Instant;
import java.util.Map;

/**
 * A step with {@code ignore_errors} that failed: as Ansible's {@code ...ignoring}, the host goes on
 * with its next step. The checkpoint is done (SUCCEEDED, so that resume and plan go past it) with a
 * message starting {@link #PREFIX} and {@code ignored} set; its registered result says {@code
 * failed: true}; the event's status is {@link dev.orchestrator.report.StepOutcome#IGNORED} with
 * that message, and it does not count as a change.
 */
final class IgnoredFailure {
  /** How the checkpoint's and the event's message start. */
  static final String PREFIX = "failed, ignored (ignore_errors): ";

  private IgnoredFailure() {}

  /** Records the ignored failure and returns the step's result (the host goes on). */
  static StepResult record(
      StepContext context,
      Step step,
      int attempt,
      Instant startedAt,
      Integer exitCode,
      String message,
      Map<String, Object> registered,
      String logName,
      ExecResult result) {
    Instant end = Instant.now();
    String why = PREFIX + message;
    if (!registered.isEmpty() && !step.extras().module().map(m -> m.mayChange()).orElse(false)) {
      // command and raw keep Ansible's changed: true of a failed run
      registered.put("changed", false);
    }
    context
        .checkpoints()
        .ignored(step.id(), attempt, startedAt, end, exitCode, why, registered, logName);
    StepResult ignored =
        new StepResult.Ignored(attempt, exitCode == null ? -1 : exitCode, registered, logName);
    context
        .events()
        .emit(
            new Event.StepFinished(
                end,
                context.host(),
                step.id(),
                ignored.outcome(),
                exitCode,
                result.duration(),
                why,
                logName,
                false));
    return ignored;
  }
}
