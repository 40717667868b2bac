package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.TransportException;

/**
 * Gathers the facts of a host that has nothing left to run in this execution, so that the hosts
 * that do run can still read them through {@code hostvars[HOST].ansible_*}. Ansible gathers every
 * play's hosts on every {@code ansible-playbook} run (its {@code gather_facts} play keyword,
 * https://docs.ansible.com/ansible/latest/reference_appendices/playbooks_keywords.html#play); a
 * resume of ours skips the hosts whose steps are all checkpointed done, and facts are never kept in
 * checkpoints ({@link GatheredFacts}), so without this a resume after a kill in a later play would
 * find no facts for the hosts of a fact-only first play (ansible-examples lamp_haproxy's {@code
 * rolling_update.yml}: its {@code iptables.j2} reads the monitoring host's address). The gathering
 * is read-only: no lease is taken and no checkpoint written; a host that cannot be reached keeps no
 * facts, and a step that reads them fails as it would have without this.
 */
final class DoneHostFacts {
  private DoneHostFacts() {}

  /** Gathers and records {@code host}'s facts when the run gathers facts and has none of it yet. */
  static void gather(PipelineServices services, String host, PlannedHost planned) {
    if (!services.facts().gather() || services.facts().of(host).isPresent()) {
      return;
    }
    try (Connection connection =
        services.connector().open(host, Endpoints.of(planned.host().connection()))) {
      services.facts().record(host, FactGatherer.gather(connection));
    } catch (TransportException e) {
      // unreachable now: its facts stay unknown, as they would be without this gathering
    }
  }
}
