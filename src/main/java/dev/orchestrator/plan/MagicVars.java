package dev.orchestrator.plan;

import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's magic variables that look beyond the host itself
 * (https://docs.ansible.com/ansible/latest/reference_appendices/special_variables.html): {@code
 * groups} (every group, {@code all} and {@code ungrouped} included, to its hosts' names), {@code
 * hostvars} ({@link HostVars}), and for the stage (our play) and batch the host runs in: {@code
 * ansible_play_hosts_all} (the stage's hosts), {@code ansible_play_hosts} and {@code play_hosts}
 * (the same: planning removes no failed host) and {@code ansible_play_batch} (the batch's hosts).
 * {@code groups} and {@code hostvars} are built once per plan and shared by every host.
 */
final class MagicVars {
  private MagicVars() {}

  /**
   * Where a host runs: the names of its stage's hosts and of its batch's hosts, in run order.
   *
   * @param stageHosts the stage's hosts
   * @param batchHosts the batch's hosts
   */
  record Play(List<String> stageHosts, List<String> batchHosts) {
    /** Copies the lists. */
    Play {
      stageHosts = List.copyOf(stageHosts);
      batchHosts = List.copyOf(batchHosts);
    }
  }

  /**
   * The values every host of a plan shares.
   *
   * @param groups group name to its hosts' names
   * @param hostvars host name to its variables
   */
  record Shared(Map<String, List<String>> groups, HostVars hostvars) {}

  /** Builds {@code groups} and {@code hostvars} of a plan, once. */
  static Shared shared(PlanInput input) {
    Inventory inventory = input.inventory();
    Map<String, List<String>> groups = groups(inventory);
    HostVars hostvars =
        new HostVars(
            List.copyOf(inventory.hosts().keySet()),
            name -> {
              Map<String, Object> vars =
                  Planner.hostVars(
                      input.playbook(),
                      inventory.hosts().get(name),
                      input.extraVars(),
                      input.runId());
              vars.put("groups", groups);
              return vars;
            },
            input);
    HostVars planned =
        hostvars.overlaid(
            (name, vars) -> {
              FactsPlanning.add(input.playbook(), input.options().probes().get(name), vars);
              OtherHosts.planned(input.playbook(), input.state(), name, vars);
            },
            true,
            input);
    return new Shared(groups, planned);
  }

  /** Ansible's {@code groups}: every group's hosts, with {@code all} and {@code ungrouped}. */
  static Map<String, List<String>> groups(Inventory inventory) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    out.put("all", List.copyOf(inventory.hosts().keySet()));
    inventory.groups().forEach((g, hosts) -> out.put(g, List.copyOf(hosts)));
    if (!out.containsKey("ungrouped")) {
      List<String> ungrouped = new ArrayList<>();
      for (Host h : inventory.hosts().values()) {
        if (h.groups().stream().allMatch(g -> g.equals("all") || g.equals("ungrouped"))) {
          ungrouped.add(h.name());
        }
      }
      out.put("ungrouped", List.copyOf(ungrouped));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** Adds the shared and the play's magic variables to a host's {@code vars}. */
  static Map<String, Object> add(Map<String, Object> vars, Shared shared, Play play) {
    vars.put("groups", shared.groups());
    vars.put("hostvars", shared.hostvars());
    vars.put("ansible_play_hosts_all", play.stageHosts());
    vars.put("ansible_play_hosts", play.stageHosts());
    vars.put("play_hosts", play.stageHosts());
    vars.put("ansible_play_batch", play.batchHosts());
    return vars;
  }
}
