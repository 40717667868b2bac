package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Prediction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A host's {@code rollback_on_failure}: runs the rollback steps at once after a step past the
 * rollback mark failed, or finishes a rollback that did not complete. When the rollback steps
 * succeed, the failed step's segment (its hop, or the whole pipeline) and the rollback steps are
 * reset to pending, so that resume starts the host's update over once the cause is fixed; the host
 * is recorded as rolled back and stays paused (README, "Failure and recovery").
 */
final class Rollback {
  private final PlannedHost planned;
  private final StepContext context;
  private final StepRunner steps;
  private final Supplier<Optional<String>> halted;

  /**
   * @param halted why no more steps may be sent to the host, or empty
   */
  Rollback(
      PlannedHost planned,
      StepContext context,
      StepRunner steps,
      Supplier<Optional<String>> halted) {
    this.planned = planned;
    this.context = context;
    this.steps = steps;
    this.halted = halted;
  }

  /** Whether a failure of {@code ps} in this phase rolls the host back. */
  boolean follows(PlannedStep ps, boolean deferredPhase) {
    return !deferredPhase
        && planned.rollbackAfter().contains(ps.step().baseId())
        && !planned.rollbackOnFailure().isEmpty();
  }

  /**
   * Rolls back after {@code failedStep} failed with {@code failed}; returns how the host stops.
   *
   * @param failedAttempts the attempts of the failed step, kept when it is reset
   */
  HostOutcome.Paused after(
      PlannedStep failedStep,
      int failedAttempts,
      HostOutcome.Paused failed,
      Map<String, Object> vars) {
    String host = planned.host().name();
    Map<String, Integer> ran = new HashMap<>();
    for (PlannedStep r : planned.rollbackOnFailure()) {
      if (!r.prediction().needsWork()) {
        continue; // done earlier in this rollback, before it stopped
      }
      Optional<String> halt = halted.get();
      if (halt.isPresent()) {
        return new HostOutcome.Paused(
            host,
            r.step().id(),
            failed.message()
                + "; the rollback stopped before "
                + r.step().id()
                + ": "
                + halt.get());
      }
      StepResult end = steps.run(r, vars);
      if (!end.goesOn()) {
        String why =
            failed.message()
                + "; then the rollback failed at "
                + r.step().id()
                + ": "
                + (end instanceof StepResult.Failed f
                    ? f.message()
                    : end instanceof StepResult.InDoubt d ? d.message() : "connection lost")
                + ". Fix that, then resume: it retries "
                + r.step().id()
                + " and the rest of the rollback, and the host stays paused, rolled back (or"
                + " abort --rollback)";
        return new HostOutcome.Paused(host, r.step().id(), why);
      }
      ran.put(r.step().id(), r.previousAttempts() + 1);
    }
    String segment = segmentOf(failedStep.step().id());
    for (PlannedStep ps : planned.steps()) {
      if (segmentOf(ps.step().id()).equals(segment)) {
        context
            .checkpoints()
            .pending(
                ps.step().id(),
                ps == failedStep ? failedAttempts : ps.previousAttempts(),
                "reset after the rollback of " + failedStep.step().id());
      }
    }
    for (PlannedStep r : planned.rollbackOnFailure()) {
      context
          .checkpoints()
          .pending(
              r.step().id(),
              ran.getOrDefault(r.step().id(), r.previousAttempts()),
              "rolled back after " + failedStep.step().id() + " failed");
    }
    String message =
        failed.message()
            + "; rolled back to the previous version. Fix the cause; resume then starts this host's update over";
    context.checkpoints().rolledBack(message);
    return new HostOutcome.Paused(host, failedStep.step().id(), message);
  }

  /**
   * Resumes a rollback that did not complete ({@link PlannedHost#rollbackUnderWay()}): the rollback
   * steps not done yet run, the failed one again (attempt + 1), and the host then stays paused as
   * rolled back, exactly as if the rollback had succeeded the first time; the update itself does
   * not continue (README, "Failure and recovery": resume then starts it over). The step whose
   * failure started the rollback is the failed step past the rollback mark; its hop's variables
   * apply.
   */
  HostOutcome.Paused finish(Map<String, Object> vars) {
    List<PlannedStep> pastMark =
        planned.steps().stream()
            .filter(ps -> planned.rollbackAfter().contains(ps.step().baseId()))
            .toList();
    PlannedStep failedStep =
        pastMark.stream()
            .filter(ps -> ps.prediction() == Prediction.RETRY)
            .findFirst()
            .or(() -> pastMark.stream().filter(ps -> ps.prediction().needsWork()).findFirst())
            .or(() -> pastMark.stream().findFirst())
            .orElse(planned.steps().get(planned.steps().size() - 1));
    vars.putAll(failedStep.overrides());
    String why =
        failedStep.prediction() == Prediction.RETRY
            ? failedStep.step().id() + " " + failedStep.reason()
            : "step " + failedStep.step().id() + " did not finish";
    return after(
        failedStep,
        failedStep.previousAttempts(),
        new HostOutcome.Paused(planned.host().name(), failedStep.step().id(), why),
        vars);
  }

  /** The hop part of a step id ({@code @28.0.14}), or empty without hops. */
  static String segmentOf(String stepId) {
    int at = stepId.indexOf('@');
    return at < 0 ? "" : stepId.substring(at);
  }
}
