package dev.orchestrator.execute;

import dev.orchestrator.plan.BlockStates;
import dev.orchestrator.playbook.Step;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A step of a block's {@code block:} section that failed, where the block (or an enclosing one) has
 * a {@code rescue:}: as in Ansible, the failure sends the host to the rescue instead of failing it
 * (README "Blocks"). Its checkpoint is done (SUCCEEDED, so that resume never runs it again) with a
 * message starting {@link BlockStates#RESCUED} and the failed result (what {@code
 * ansible_failed_result} holds in the rescue, Ansible's names: {@code failed}, {@code msg}, {@code
 * rc}, ...): the plan and a resume derive from it that the block failed and which branch runs.
 */
final class RescuedFailure {
  private RescuedFailure() {}

  /** Records the failure as rescued, and returns the result that sends the host to the rescue. */
  static StepResult.Failed record(
      CheckpointWriter checkpoints,
      Step step,
      int attempt,
      Instant startedAt,
      Instant end,
      Integer exitCode,
      String message,
      String logName,
      Map<String, Object> result) {
    Map<String, Object> failed = new LinkedHashMap<>(result);
    failed.put("failed", true);
    failed.putIfAbsent("changed", false);
    failed.putIfAbsent("rc", exitCode);
    // a command's failure says what Ansible's shell module says
    boolean command = result.get("rc") instanceof Integer rc && rc != 0;
    failed.putIfAbsent("msg", command ? "non-zero return code" : message);
    String rescuer = step.extras().rescuer().orElseThrow().label();
    checkpoints.ignored(
        step.id(),
        attempt,
        startedAt,
        end,
        exitCode,
        BlockStates.RESCUED + rescuer + ": " + message,
        failed,
        logName);
    return new StepResult.Failed(
        message, java.util.Optional.of(new StepResult.Rescue(step.id(), failed)));
  }
}
