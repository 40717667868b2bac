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
 * @param notifies the handler names, ids or {@code listen} topics this step notifies when it
 *     changes the host (Ansible's {@code notify}); empty when none
 * @param listen a handler's {@code listen} topics (Ansible's {@code listen}); empty for a step
 * @param handler whether this is a handler (an entry of the playbook's {@code handlers:}, or one of
 *     its runs at a flush point): it runs only when notified
 * @param flushHandlers whether this is a {@code meta: flush_handlers} step: a place where the
 *     handlers notified so far run, not a command
 */
public record StepExtras(
    List<String> notifies, List<String> listen, boolean handler, boolean flushHandlers) {
  /** A step that uses none of these keywords. */
  public static final StepExtras NONE = new StepExtras(List.of());

  /** Validates the fields. */
  public StepExtras {
    notifies = List.copyOf(Objects.requireNonNull(notifies, "notifies"));
    listen = List.copyOf(Objects.requireNonNull(listen, "listen"));
    if (flushHandlers && (handler || !notifies.isEmpty() || !listen.isEmpty())) {
      throw new IllegalArgumentException("a meta: flush_handlers step has no other keyword");
    }
  }

  /** Keywords of a step that notifies {@code notifies} and is no handler. */
  public StepExtras(List<String> notifies) {
    this(notifies, List.of(), false, false);
  }

  /**
   * Returns what these keywords add to the step's definition hash: empty for {@link #NONE}, so that
   * the hash of a step without them does not change.
   */
  public String canonical() {
    if (equals(NONE)) {
      return "";
    }
    return "\u0000extras\u0000" + notifies + "\u0000" + listen + "\u0000" + handler + flushHandlers;
  }
}
