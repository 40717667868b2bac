package dev.orchestrator.playbook;

import java.util.Optional;

/**
 * How steps name handlers and how a handler's runs are named: shared by the loader, the planner and
 * the engine (README "Handlers";
 * https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_handlers.html).
 */
public final class Handlers {
  /** Why a handler run did not happen, as the plan shows it and the run records its skip. */
  public static final String NOT_NOTIFIED =
      "not notified: no step that notifies it changed the host";

  private Handlers() {}

  /**
   * Returns whether a {@code notify} entry names this handler: its name (as in Ansible), its id, or
   * one of its {@code listen} topics.
   */
  public static boolean names(String entry, Step handler) {
    return entry.equals(handler.name())
        || entry.equals(handler.id())
        || handler.extras().listen().contains(entry);
  }

  /** Returns whether {@code step} notifies {@code handler} when it changes the host. */
  public static boolean notifies(Step step, Step handler) {
    return step.extras().notifies().stream().anyMatch(e -> names(e, handler));
  }

  /**
   * Returns the checkpoint id of a handler's run at a flush point: the handler's id at the end of
   * the host's steps, {@code HANDLER.FLUSH} at the {@code meta: flush_handlers} step with id FLUSH.
   * A handler that runs at two flush points has two checkpoints.
   */
  public static String runId(String handlerId, Optional<String> flushId) {
    return flushId.map(f -> handlerId + "." + f).orElse(handlerId);
  }
}
