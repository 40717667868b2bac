package dev.orchestrator.playbook;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a step has of Ansible's task keywords beyond a shell command and its policies ({@link Step},
 * {@link StepTraits}): loops, handlers, delegation, modules and the like, each with Ansible's name
 * and semantics (issue 24; README "Playbook reference"). A step that uses none of them has {@link
 * #NONE}, and its {@link Step#definitionHash()} is what it was before these keywords existed, so
 * that runs started by earlier versions still resume.
 *
 * @param notifies the handler names or {@code listen} topics this step notifies when it changes the
 *     host (Ansible's {@code notify}); empty when none
 * @param module the Ansible module the step calls instead of {@code shell} or {@code upload}
 *     ({@link ModuleCall}); empty for a shell or upload step
 * @param failedWhen Ansible's {@code failed_when}: conditions (all must hold) evaluated after each
 *     attempt with the {@code register} variable set, deciding whether it failed in place of the
 *     exit code; empty when absent
 * @param until Ansible's {@code until}: a condition evaluated after each attempt; while false the
 *     step runs again (its {@code retries}, 3 when not given, and {@code delay}); empty when absent
 * @param ignoreErrors Ansible's {@code ignore_errors}: a failure is recorded (the registered result
 *     says {@code failed: true}) and the host goes on with its next step
 */
public record StepExtras(
    List<String> notifies,
    Optional<ModuleCall> module,
    List<String> failedWhen,
    Optional<String> until,
    boolean ignoreErrors) {
  /** A step that uses none of these keywords. */
  public static final StepExtras NONE = new StepExtras(List.of());

  /** Validates the fields. */
  public StepExtras {
    notifies = List.copyOf(Objects.requireNonNull(notifies, "notifies"));
    Objects.requireNonNull(module, "module");
    failedWhen = List.copyOf(Objects.requireNonNull(failedWhen, "failedWhen"));
    Objects.requireNonNull(until, "until");
  }

  /** Keywords with only {@code notifies}. */
  public StepExtras(List<String> notifies) {
    this(notifies, Optional.empty(), List.of(), Optional.empty(), false);
  }

  /**
   * Returns a copy with the result keywords and module of the step (module, failed_when, until,
   * ignore_errors) replaced.
   */
  public StepExtras withResults(
      Optional<ModuleCall> newModule,
      List<String> newFailedWhen,
      Optional<String> newUntil,
      boolean newIgnoreErrors) {
    return new StepExtras(notifies, newModule, newFailedWhen, newUntil, newIgnoreErrors);
  }

  /**
   * Returns what these keywords add to the step's definition hash: empty for {@link #NONE}, so that
   * the hash of a step without them does not change.
   */
  public String canonical() {
    if (equals(NONE)) {
      return "";
    }
    return "\u0000extras\u0000"
        + notifies
        + module.map(m -> "\u0000module\u0000" + m.canonical()).orElse("")
        + (failedWhen.isEmpty() ? "" : "\u0000failed_when\u0000" + failedWhen)
        + until.map(u -> "\u0000until\u0000" + u).orElse("")
        + (ignoreErrors ? "\u0000ignore_errors" : "");
  }
}
