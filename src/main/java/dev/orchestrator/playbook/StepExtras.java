package dev.orchestrator.playbook;

import java.util.List;
import java.util.Objects;

/**
 * What a step has of Ansible's task keywords beyond a shell command and its policies ({@link Step},
 * {@link StepTraits}): loops, handlers, delegation, modules and the like, each with Ansible's name
 * and semantics (issue 24; README "Playbook reference"). A step that uses none of them has {@link
 * #NONE}, and its {@link Step#definitionHash()} is what it was before these keywords existed, so
 * that runs started by earlier versions still resume.
 *
 * @param notifies the handler names or {@code listen} topics this step notifies when it changes the
 *     host (Ansible's {@code notify}); empty when none
 * @param fact {@code fact: true}: the step reads the host's state, so it runs again on every resume
 *     even when it succeeded, its registered value replaced (a resume never acts on what it read
 *     before the pause)
 * @param become how {@code become} switches user ({@code become_method}, {@code become_flags},
 *     {@code become_password}); {@link StepBecome#NONE} for sudo without a password
 */
public record StepExtras(List<String> notifies, boolean fact, StepBecome become) {
  /** A step that uses none of these keywords. */
  public static final StepExtras NONE = new StepExtras(List.of(), false, StepBecome.NONE);

  /** Validates the fields. */
  public StepExtras {
    notifies = List.copyOf(Objects.requireNonNull(notifies, "notifies"));
    Objects.requireNonNull(become, "become");
  }

  /** Extras with only notifications. */
  public StepExtras(List<String> notifies) {
    this(notifies, false, StepBecome.NONE);
  }

  /**
   * Returns what these keywords add to the step's definition hash: empty for {@link #NONE}, so that
   * the hash of a step without them does not change.
   */
  public String canonical() {
    if (equals(NONE)) {
      return "";
    }
    return "\u0000extras\u0000" + notifies + (fact ? "\u0000fact" : "") + become.canonical();
  }
}
