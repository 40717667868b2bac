package dev.orchestrator.report;

import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of a batch's step × host matrix: every step id any host of the batch has, in pipeline
 * order. Hosts may have different steps: a loop's items ({@code ID[LABEL]}) and hops come from each
 * host's variables, so one host's list of items is not another's; a host without a row's step shows
 * an empty cell.
 */
final class PlanRows {
  private PlanRows() {}

  /** Returns the step ids of the hosts, merged in order (each host's own order kept). */
  static List<String> ids(List<PlannedHost> hosts) {
    List<String> rows = new ArrayList<>();
    for (PlannedHost h : hosts) {
      int cursor = 0;
      for (PlannedStep s : h.steps()) {
        String id = s.step().id();
        int at = rows.indexOf(id);
        if (at >= 0) {
          cursor = at + 1;
        } else {
          rows.add(cursor++, id);
        }
      }
    }
    return rows;
  }

  /** Returns a host's steps by id. */
  static Map<String, PlannedStep> byId(PlannedHost host) {
    Map<String, PlannedStep> out = new LinkedHashMap<>();
    host.steps().forEach(s -> out.put(s.step().id(), s));
    return out;
  }

  /** Returns the first host's step of that id (for the row's name and its deferred mark). */
  static Optional<PlannedStep> any(List<Map<String, PlannedStep>> hosts, String id) {
    return hosts.stream().map(m -> m.get(id)).filter(s -> s != null).findFirst();
  }
}
