package dev.orchestrator.plan;

import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StepStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which host of a batch runs a {@code run_once} step for the whole batch (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_strategies.html#running-on-a-single-machine-with-run-once">Ansible:
 * running on a single machine with run_once</a>; ansible-core {@code plugins/strategy/linear.py}
 * runs it on the first host of the batch and gives its result to the others). Pure: the plan and
 * the run decide it the same way, from the batch and the run's checkpoints, so that a resume after
 * a controller stop picks the host that already started it, never a second one.
 *
 * <p>The host: the first host of the batch (in batch order) whose checkpoint of the step says it
 * ran or started there; when none has, the batch's first host. The other hosts of the batch never
 * run the step: they record the chosen host's result under their own checkpoint, with a message
 * starting {@value #COPIED}, or, when that host stopped before finishing it, a failure starting
 * {@value #WAITED}; neither counts as having run it.
 */
public final class RunOnce {
  /** How a copied result's checkpoint message starts: {@code ran once on web1}. */
  public static final String COPIED = "ran once on ";

  /** How the failure of a host that waited in vain for the chosen host starts. */
  public static final String WAITED = "run_once: ";

  private RunOnce() {}

  /**
   * The host that runs the step for the batch.
   *
   * @param stepId the step (a loop item's id for an item)
   * @param batch the batch's hosts in order ({@code ansible_play_batch}); not empty
   * @param checkpoint a host's checkpoint of the step, if any
   */
  public static String owner(
      String stepId, List<String> batch, Function<String, Optional<Checkpoint>> checkpoint) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("run_once in an empty batch: " + stepId);
    }
    for (String host : batch) {
      if (checkpoint.apply(host).filter(RunOnce::ranThere).isPresent()) {
        return host;
      }
    }
    return batch.get(0);
  }

  /** Whether a checkpoint says the step ran (or started) on its own host. */
  public static boolean ranThere(Checkpoint c) {
    return c.status() != StepStatus.PENDING
        && !c.message().startsWith(COPIED)
        && !c.message().startsWith(WAITED);
  }

  /** The batch a host's vars place it in ({@code ansible_play_batch}), empty if unknown. */
  public static List<String> batch(java.util.Map<String, Object> vars) {
    if (vars.get("ansible_play_batch") instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /** Marks the host's {@code run_once} steps with the host that runs them ({@code plan}). */
  static PlannedHost place(PlannedHost planned, Optional<RunState> state) {
    List<String> batch = batch(planned.vars());
    if (batch.isEmpty() || planned.steps().stream().noneMatch(s -> s.step().extras().runOnce())) {
      return planned;
    }
    List<PlannedStep> steps =
        planned.steps().stream()
            .map(
                s ->
                    s.step().extras().runOnce()
                        ? s.runOnceOn(
                            owner(
                                s.step().id(),
                                batch,
                                h -> state.flatMap(st -> st.checkpoint(h, s.step().id()))))
                        : s)
            .toList();
    return new PlannedHost(
        planned.host(),
        planned.vars(),
        steps,
        planned.rollbackOnFailure(),
        planned.rollbackAfter());
  }
}
