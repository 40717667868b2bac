package dev.orchestrator.playbook;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * Returns the handler as it runs at a flush point: its run's checkpoint id ({@link #runId}), all
   * else the same.
   */
  public static Step atFlush(Step handler, String runId) {
    return new Step(
        runId,
        handler.name(),
        handler.shell(),
        handler.when(),
        handler.creates(),
        handler.timeout(),
        handler.retries(),
        handler.delay(),
        handler.register(),
        handler.become(),
        handler.becomeUser(),
        handler.environment(),
        handler.traits(),
        handler.extras(),
        handler.location());
  }

  /**
   * Returns every run of the playbook's handlers a host's pipeline has, as the plan and the console
   * name them: {@code HANDLER.FLUSH} at each {@code meta: flush_handlers} step, in pipeline order,
   * then {@code HANDLER} at the end of the host's steps (a role's handler is {@code ROLE.ID}).
   */
  public static List<Step> runs(Playbook playbook) {
    List<Step> out = new ArrayList<>();
    for (Step flush : playbook.steps()) {
      if (flush.extras().flushHandlers()) {
        for (Step h : playbook.handlers()) {
          out.add(atFlush(h, runId(h.id(), Optional.of(flush.id()))));
        }
      }
    }
    out.addAll(playbook.handlers());
    return out;
  }
}
