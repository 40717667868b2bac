package dev.orchestrator.execute;

import dev.orchestrator.plan.OtherHosts;
import dev.orchestrator.playbook.Step;
import java.util.Map;

/**
 * Where the facts a {@code set_fact} step sets go (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_delegation.html#delegating-facts">Ansible:
 * delegating facts</a>): to the host's own vars, or with {@code delegate_to} and {@code
 * delegate_facts: true} to the delegate's {@code hostvars} only. The delegate is recorded in the
 * step's registered result as Ansible's result carries it ({@code
 * _ansible_delegated_vars.ansible_delegated_host}), so that {@link OtherHosts} finds the facts in
 * the run's state, after a resume too.
 */
final class DelegatedFacts {
  /** The target's var that names the delegate while a {@code delegate_facts} step runs. */
  static final String DELEGATE_VAR = "_orchestrator_delegate_facts_to";

  private DelegatedFacts() {}

  /**
   * Gives a succeeded {@code set_fact}'s facts to the host's vars, or records the delegate they
   * belong to in {@code registered}.
   */
  static void apply(
      Step step,
      Map<String, Object> facts,
      Map<String, Object> vars,
      Map<String, Object> registered) {
    if (!step.extras().delegateFacts() || !(vars.get(DELEGATE_VAR) instanceof String delegate)) {
      vars.putAll(facts);
      return;
    }
    registered.put(OtherHosts.DELEGATED_VARS, Map.of(OtherHosts.DELEGATED_HOST, delegate));
  }
}
