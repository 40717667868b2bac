package dev.orchestrator.execute;

import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.TemplateException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges an attempt as Ansible's task executor does ({@code lib/ansible/executor/task_executor.py}
 * in ansible-core, {@code _execute}): with the step's result registered (under its {@code register}
 * name, when it has one), {@code failed_when} decides whether it failed in place of the exit code,
 * then {@code until} whether it is done; while {@code until} is false and retries are left, it runs
 * again. Without {@code until}, a failed attempt runs again while retries are left (the project's
 * {@code retries}, which Ansible only honours with {@code until}).
 */
final class ResultKeywords {
  private ResultKeywords() {}

  /**
   * What an attempt amounts to.
   *
   * @param failed whether the attempt failed (after {@code failed_when} and {@code until})
   * @param again whether the step runs again
   * @param message why it failed, or empty
   */
  record Verdict(boolean failed, boolean again, String message) {}

  /**
   * Judges an attempt.
   *
   * @param result the registered result, which gets {@code failed} (and {@code failed_when_result})
   * @param vars the host's vars; the judged conditions see {@code result} under the register name
   * @param failedByResult whether the command (or module) failed by itself
   * @param failureMessage why it failed by itself
   * @param retriesLeft how many more attempts may follow
   */
  static Verdict judge(
      StepContext context,
      Step step,
      Map<String, Object> result,
      Map<String, Object> vars,
      boolean failedByResult,
      String failureMessage,
      int retriesLeft) {
    Map<String, Object> scope = vars;
    if (step.register().isPresent()) {
      scope = new HashMap<>(vars);
      scope.put(step.register().get(), result);
    }
    boolean failed = failedByResult;
    String message = failedByResult ? failureMessage : "";
    List<String> failedWhen = step.extras().failedWhen();
    if (!failedWhen.isEmpty()) {
      Optional<String> error = Optional.empty();
      boolean all = true;
      for (String condition : failedWhen) {
        try {
          all &= context.templates().evaluate(condition, scope);
        } catch (TemplateException e) {
          error = Optional.of("failed_when: " + condition + ": " + e.getMessage());
        }
      }
      failed = error.isPresent() || all;
      message =
          error.orElse(all ? "failed_when: " + String.join(" and ", failedWhen) + " is true" : "");
      result.put("failed_when_result", failed);
    }
    result.put("failed", failed);
    if (step.extras().until().isEmpty()) {
      return new Verdict(failed, failed && retriesLeft > 0, message);
    }
    String until = step.extras().until().get();
    boolean done;
    try {
      done = context.templates().evaluate(until, scope);
    } catch (TemplateException e) {
      // Ansible fails the task on an until it cannot evaluate
      result.put("failed", true);
      return new Verdict(true, false, "until: " + until + ": " + e.getMessage());
    }
    if (done) {
      return new Verdict(failed, false, message);
    }
    if (retriesLeft > 0) {
      return new Verdict(true, true, "until: " + until + " is false");
    }
    result.put("failed", true);
    int attempts = step.retries() + 1;
    return new Verdict(
        true,
        false,
        "until: "
            + until
            + " still false after "
            + attempts
            + " attempt"
            + (attempts == 1 ? "" : "s")
            + (message.isEmpty() ? "" : " (" + message + ")"));
  }
}
