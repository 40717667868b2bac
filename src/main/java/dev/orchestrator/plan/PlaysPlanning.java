package dev.orchestrator.plan;

import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans an Ansible playbook of several plays ({@link Playbook#plays()}): each play as a playbook of
 * one stage is planned today, and the stages follow one another, a host in several plays planned
 * once in each (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_intro.html;
 * ansible-core {@code executor/playbook_executor.py} runs the plays in order, each to its end). A
 * play's {@code --limit} may leave it no host; the run needs one in some play.
 *
 * <p>A host keeps what the plays before its play set on it, as Ansible keeps a host's registered
 * values and {@code set_fact} facts for the whole playbook: the plan lays the shapes of their
 * values (known at run time) and the values the run's checkpoints hold over the host's variables,
 * where the play does not name the variable itself; the run lays the values the checkpoints hold
 * then ({@code execute.RunHostVars}). Pure.
 */
final class PlaysPlanning {
  private PlaysPlanning() {}

  /** Plans one host of one play, given the steps of the plays before it. */
  @FunctionalInterface
  interface HostPlanner {
    PlannedHost plan(PlanInput play, Host host, MagicVars.Play seat, List<Step> earlier);
  }

  /**
   * Plans every play in order.
   *
   * @param input the run's input, its playbook one of several plays
   * @throws dev.orchestrator.common.InputException as {@link Batches#plan}, and when no play has a
   *     host within {@code --limit}
   */
  static Batches.Selected plan(PlanInput input, HostPlanner planHost) {
    List<PlannedStage> stages = new ArrayList<>();
    Set<String> taken = new LinkedHashSet<>();
    List<Step> earlier = new ArrayList<>();
    for (Playbook play : input.playbook().plays()) {
      PlanInput in =
          new PlanInput(
              play,
              input.inventory(),
              input.extraVars(),
              input.limit(),
              input.runId(),
              input.state(),
              input.options());
      List<Step> before = List.copyOf(earlier);
      Batches.Selected selected =
          Batches.plan(in, (h, seat) -> planHost.plan(in, h, seat, before), false);
      stages.addAll(selected.stages());
      taken.addAll(selected.hostOrder());
      earlier.addAll(play.steps());
    }
    if (taken.isEmpty()) {
      throw Batches.noHost(input);
    }
    List<String> inventoryOrder =
        input.inventory().hosts().keySet().stream().filter(taken::contains).toList();
    return new Batches.Selected(stages, inventoryOrder);
  }

  /**
   * Lays over a host's {@code vars} what the steps of the earlier plays set on it: the shapes of
   * their registered values and {@code set_fact} facts, then the values the run's checkpoints hold.
   * A recorded value wins over the inventory's and the play's (Ansible's registered values and
   * facts rank above them), not over {@code -e}; a shape never replaces a variable.
   *
   * @return the names whose values are known at run time only, for the plan to leave out of the
   *     planned host's variables (the run lays the recorded values)
   */
  static Set<String> layEarlier(
      List<Step> earlier, PlanInput input, String host, Map<String, Object> vars) {
    if (earlier.isEmpty()) {
      return Set.of();
    }
    Map<String, Object> shapes = new HashMap<>();
    OtherHosts.shapes(earlier, shapes);
    Map<String, Object> recorded = new HashMap<>();
    input.state().ifPresent(s -> OtherHosts.recorded(earlier, s, host, recorded));
    Set<String> runTimeOnly = new LinkedHashSet<>();
    shapes.forEach(
        (k, v) -> {
          if (input.extraVars().containsKey(k)) {
            return;
          }
          if (recorded.containsKey(k)) {
            vars.put(k, recorded.get(k));
          } else if (!vars.containsKey(k)) {
            vars.put(k, v);
            runTimeOnly.add(k);
          }
        });
    return runTimeOnly;
  }
}
