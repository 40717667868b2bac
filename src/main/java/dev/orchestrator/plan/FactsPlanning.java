package dev.orchestrator.plan;

import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.template.Facts;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the plan knows of a host's facts ({@code gather_facts}): {@code plan} cannot know them, so a
 * template that reads one is decided at run time, as one that reads a registered value ({@link
 * Facts#unknown}); {@code plan --check} gathered them read-only, and plans with their values. The
 * facts are left out of the planned host's vars: the run gathers them again when the host's
 * pipeline starts.
 */
final class FactsPlanning {
  private FactsPlanning() {}

  /**
   * Adds the facts the plan works with to {@code vars}, where no variable has the name already (a
   * variable the inventory, the playbook or {@code -e} sets wins over a fact).
   *
   * @param probes the host's {@code plan --check} results, or null
   * @return the names added, for {@link #strip}
   */
  static Set<String> add(
      Playbook playbook, PlanOptions.HostProbes probes, Map<String, Object> vars) {
    if (!playbook.gatherFacts()) {
      return Set.of();
    }
    Map<String, Object> facts =
        probes != null && !probes.facts().isEmpty() ? Facts.vars(probes.facts()) : Facts.unknown();
    Set<String> added = new LinkedHashSet<>();
    facts.forEach(
        (k, v) -> {
          if (!vars.containsKey(k)) {
            vars.put(k, v);
            added.add(k);
          }
        });
    return added;
  }

  /** Returns the host without the facts {@link #add} put in its vars. */
  static PlannedHost strip(PlannedHost host, Set<String> added) {
    if (added.isEmpty()) {
      return host;
    }
    Map<String, Object> vars = new LinkedHashMap<>(host.vars());
    added.forEach(vars::remove);
    return new PlannedHost(
        host.host(), vars, host.steps(), host.rollbackOnFailure(), host.rollbackAfter());
  }
}
