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
 * @param delegateTo the host the step runs on instead of its target ({@code delegate_to}, or {@code
 *     localhost} for {@code local_action}), a template rendered with the target's vars; empty: the
 *     target itself (<a
 *     href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_delegation.html">Ansible:
 *     delegation</a>)
 * @param delegateFacts whether facts the step sets go to the delegate's hostvars rather than the
 *     target's ({@code delegate_facts}); only meaningful with {@code delegateTo}
 * @param runOnce whether the step runs on one host of the batch only, its result given to the
 *     others ({@code run_once})
 */
public record StepExtras(
    List<String> notifies, Optional<String> delegateTo, boolean delegateFacts, boolean runOnce) {
  /** A step that uses none of these keywords. */
  public static final StepExtras NONE = new StepExtras(List.of(), Optional.empty(), false, false);

  /** Validates the fields. */
  public StepExtras {
    notifies = List.copyOf(Objects.requireNonNull(notifies, "notifies"));
    Objects.requireNonNull(delegateTo, "delegateTo");
    if (delegateFacts && delegateTo.isEmpty()) {
      throw new IllegalArgumentException("delegate_facts needs delegate_to");
    }
  }

  /** These extras with the delegation keywords ({@code delegate_to}, ...) set. */
  public StepExtras withDelegation(
      Optional<String> newDelegateTo, boolean newDelegateFacts, boolean newRunOnce) {
    return new StepExtras(notifies, newDelegateTo, newDelegateFacts, newRunOnce);
  }

  /**
   * Returns what these keywords add to the step's definition hash: empty for {@link #NONE}, so that
   * the hash of a step without them does not change.
   */
  public String canonical() {
    if (equals(NONE)) {
      return "";
    }
    return "\u0000extras\u0000" + notifies + delegationCanonical();
  }

  /** The delegation keywords' part of {@link #canonical()}: empty when none is set. */
  private String delegationCanonical() {
    if (delegateTo.isEmpty() && !runOnce) {
      return "";
    }
    return "\u0000delegate\u0000" + delegateTo.orElse("") + "\u0000" + delegateFacts + runOnce;
  }
}
