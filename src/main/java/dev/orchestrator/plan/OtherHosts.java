package dev.orchestrator.plan;

import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.template.RegisteredResult;
import java.util.Map;
import java.util.Optional;

/**
 * What other hosts' steps set, as {@code hostvars[HOST]} shows it (Ansible's {@code hostvars}:
 * https://docs.ansible.com/ansible/latest/reference_appendices/special_variables.html): a step's
 * {@code register} value and its {@code set_fact} facts belong to the host it ran for; with {@code
 * delegate_to} and {@code delegate_facts: true}, a {@code set_fact}'s facts belong to the delegate
 * instead (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_delegation.html#delegating-facts">Ansible:
 * delegating facts</a>; ansible-core {@code plugins/strategy/__init__.py} moves them to the host in
 * the result's {@code _ansible_delegated_vars.ansible_delegated_host}, as our checkpoint keeps it).
 *
 * <p>A value is there once the step's checkpoint holds it (succeeded or skipped), read from the
 * run's state, so that it is the same after a resume. The plan lays, for a step not done yet, the
 * shape of its value, known at run time only: a template that reads it is decided at run time, and
 * one that names a key the step will not have is refused now. Pure.
 */
public final class OtherHosts {
  /** The result key that names the host a {@code delegate_facts} step's facts went to. */
  public static final String DELEGATED_VARS = "_ansible_delegated_vars";

  /** The key under {@link #DELEGATED_VARS} that names the host. */
  public static final String DELEGATED_HOST = "ansible_delegated_host";

  private OtherHosts() {}

  /** Lays over {@code vars} what the plan knows that the steps will set for {@code host}. */
  static void planned(
      Playbook playbook, Optional<RunState> state, String host, Map<String, Object> vars) {
    shapes(playbook.steps(), vars);
    state.ifPresent(s -> recorded(playbook.steps(), s, host, vars));
  }

  /**
   * Lays over {@code vars} the shapes of what the steps register and set with {@code set_fact},
   * known at run time only.
   */
  static void shapes(java.util.Collection<Step> steps, Map<String, Object> vars) {
    for (Step step : steps) {
      step.register().ifPresent(r -> vars.put(r, ModulePlanning.shape(step, r)));
      if (isSetFact(step)) {
        for (String key : step.extras().module().orElseThrow().args().keySet()) {
          vars.put(key, RegisteredResult.unknownValue(key));
        }
      }
    }
  }

  /**
   * Lays over {@code vars} what the run's checkpoints hold for {@code host}: the values registered
   * by its steps done, their {@code set_fact} facts, and the facts other hosts' steps delegated to
   * it.
   *
   * @param known the steps, by whose ids the checkpoints are read (others are left out)
   */
  public static void recorded(
      java.util.Collection<Step> known, RunState state, String host, Map<String, Object> vars) {
    Map<String, Step> steps = new java.util.HashMap<>();
    known.forEach(s -> steps.put(s.id(), s));
    for (Checkpoint c : state.checkpoints(host)) {
      Step step = steps.get(c.stepId());
      if (step == null || !done(c)) {
        continue;
      }
      step.register().ifPresent(r -> vars.put(r, c.registered()));
      if (isSetFact(step) && !step.extras().delegateFacts()) {
        facts(c).forEach((k, v) -> vars.put(String.valueOf(k), v));
      }
    }
    // the latest recorded wins, as the last task to set a fact in Ansible
    state.checkpoints().values().stream()
        .flatMap(byStep -> byStep.values().stream())
        .filter(OtherHosts::done)
        .filter(c -> delegatedTo(c).filter(host::equals).isPresent())
        .filter(c -> steps.containsKey(c.stepId()))
        .sorted(
            java.util.Comparator.comparing(
                Checkpoint::endedAt,
                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
        .forEach(c -> facts(c).forEach((k, v) -> vars.put(String.valueOf(k), v)));
  }

  /** The host a {@code delegate_facts} step's checkpoint gave its facts to, if any. */
  public static Optional<String> delegatedTo(Checkpoint c) {
    if (c.registered().get(DELEGATED_VARS) instanceof Map<?, ?> d
        && d.get(DELEGATED_HOST) instanceof String h) {
      return Optional.of(h);
    }
    return Optional.empty();
  }

  private static boolean done(Checkpoint c) {
    return c.status() == StepStatus.SUCCEEDED || c.status() == StepStatus.SKIPPED;
  }

  private static boolean isSetFact(Step step) {
    return step.extras().module().map(m -> m.setsFacts()).orElse(false);
  }

  private static Map<?, ?> facts(Checkpoint c) {
    return c.registered().get("ansible_facts") instanceof Map<?, ?> f ? f : Map.of();
  }
}
