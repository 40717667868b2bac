package dev.orchestrator.execute;

import dev.orchestrator.plan.HostVars;
import dev.orchestrator.plan.OtherHosts;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.template.Facts;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code hostvars} while a run runs: each host's variables as the plan computed them, with what the
 * run knows of that host at the moment of the look-up — the facts gathered on it in this execution
 * ({@code hostvars[HOST].ansible_*}), and from the run's state the values its steps registered, its
 * {@code set_fact} facts and the facts other hosts' steps delegated to it ({@link OtherHosts}).
 * Read from the state store, not memory, so that a resume sees what the run before it recorded.
 *
 * <p>Our hosts run their steps independently where Ansible's linear strategy runs each task across
 * the batch in lock-step: another host's value is there once that host's step is checkpointed, not
 * when this host reaches the same step. A template that names a value not recorded yet fails its
 * step as any undefined variable does (the host pauses; its resume reads it again).
 */
final class RunHostVars {
  private RunHostVars() {}

  /**
   * Replaces the plan's {@code hostvars} in a host's {@code vars} with the run's view.
   *
   * @param planned the host: its steps name the checkpoints to read
   */
  static void install(
      Map<String, Object> vars, PlannedHost planned, RunJournal journal, GatheredFacts facts) {
    if (!(vars.get("hostvars") instanceof HostVars plan)) {
      return;
    }
    List<Step> steps =
        Stream.concat(planned.steps().stream(), planned.rollbackOnFailure().stream())
            .map(PlannedStep::step)
            .toList();
    vars.put(
        "hostvars",
        plan.overlaid(
            (name, v) -> {
              facts.of(name).ifPresent(f -> Facts.vars(f).forEach(v::putIfAbsent));
              OtherHosts.recorded(steps, journal.store().load(journal.runId()), name, v);
            },
            false,
            new Object()));
  }
}
