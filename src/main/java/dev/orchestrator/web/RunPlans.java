package dev.orchestrator.web;

import dev.orchestrator.app.Orchestrator;
import dev.orchestrator.app.StateLocation;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.state.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is left of each run, planned once per state of the run: the live view asks again at every
 * event, and planning a big fleet takes a while (10,000 hosts x 20 steps: about 4 s, README
 * "Speed"), while a fingerprint of the stored state (status, every checkpoint's status and attempt,
 * gate and host records, the playbook's and inventories' modification times) is cheap.
 */
final class RunPlans {
  /**
   * A run's plan, or why it could not be planned.
   *
   * @param plan the plan, if it could be made
   * @param error why not, else empty
   */
  record Planned(Optional<Plan> plan, String error) {}

  private record Entry(String fingerprint, Planned planned) {}

  private final Orchestrator service;
  private final StateLocation state;
  private final Map<String, Entry> byRun = new ConcurrentHashMap<>();

  RunPlans(Orchestrator service, StateLocation state) {
    this.service = service;
    this.state = state;
  }

  /** The plan of a run as {@code current} stands, made again only when the run has changed. */
  Planned of(RunState current) {
    String runId = current.info().id();
    String fp = fingerprint(current);
    Entry e = byRun.get(runId);
    if (e != null && e.fingerprint().equals(fp)) {
      return e.planned();
    }
    Planned p;
    try {
      p = new Planned(Optional.of(service.plannedRest(state, runId)), "");
    } catch (OrchestratorException ex) {
      p = new Planned(Optional.empty(), ex.getMessage());
    }
    byRun.put(runId, new Entry(fp, p));
    return p;
  }

  static String fingerprint(RunState s) {
    StringBuilder b = new StringBuilder();
    b.append(s.info().status()).append('|').append(s.info().updatedAt()).append('|');
    s.checkpoints()
        .forEach(
            (host, steps) ->
                steps.forEach(
                    (step, c) ->
                        b.append(host.length())
                            .append(host)
                            .append(step.length())
                            .append(step)
                            .append(c.status().ordinal())
                            .append(c.attempt())
                            .append(';')));
    s.gates().forEach((k, g) -> b.append(k).append(g.state()).append(';'));
    s.hostRecords().forEach((h, r) -> b.append(h).append(r.state()).append(';'));
    b.append(modified(s.info().spec().playbook()));
    s.info().spec().inventories().forEach(i -> b.append(modified(i)));
    return b.toString();
  }

  private static String modified(String file) {
    try {
      return "|" + Files.getLastModifiedTime(Path.of(file)).toMillis();
    } catch (IOException | RuntimeException e) {
      return "|-";
    }
  }
}
