package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedBatch;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.rollout.BatchOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tally of one execution as its batches end: which hosts are done, which paused (as {@code
 * host: why}, for the run's result), how many hosts {@code --retry-failed} held back, and whether
 * another run's lease refused a host. Used by the executor's thread only.
 */
final class RunProgress {
  private final Set<String> done = new HashSet<>();
  private final List<String> paused = new ArrayList<>();
  private final Set<String> stopped = new HashSet<>();
  private int heldBack;
  private boolean refused;

  /** Starts with the hosts the plan says are done already. */
  RunProgress(java.util.stream.Stream<PlannedHost> planned) {
    planned.filter(h -> !h.needsWork()).forEach(h -> done.add(h.host().name()));
  }

  /** Counts hosts of a batch the rollout reached that {@code --retry-failed} held back. */
  void heldBack(int hosts) {
    heldBack += hosts;
  }

  /**
   * Tallies a batch's outcomes.
   *
   * @param stage the stage's name
   * @param batch the batch
   * @param work the hosts that worked, in the order of {@code outcomes}
   * @param outcomes how they ended
   * @return the batch's outcome, for {@link dev.orchestrator.rollout.Rollout#afterBatch}
   */
  BatchOutcome batch(
      String stage, PlannedBatch batch, List<PlannedHost> work, List<HostOutcome> outcomes) {
    int ok = 0;
    int pausedHosts = 0;
    int unreachable = 0;
    int refusedHosts = 0;
    for (HostOutcome outcome : outcomes) {
      if (outcome instanceof HostOutcome.Paused p) {
        pausedHosts++;
        paused.add(p.host() + ": paused at step " + p.step());
        stopped.add(outcome.host());
      } else if (outcome instanceof HostOutcome.Unreachable u) {
        unreachable++;
        paused.add(u.host() + ": unreachable");
        stopped.add(outcome.host());
      } else if (outcome instanceof HostOutcome.Refused r) {
        refusedHosts++;
        refused = true;
        paused.add(r.host() + ": leased by another run");
        stopped.add(outcome.host());
      } else {
        ok++;
        done.add(outcome.host());
      }
    }
    return new BatchOutcome(
        stage, batch.number(), batch.hosts().size(), ok, pausedHosts, unreachable, refusedHosts);
  }

  /** Tallies how a host's deferred steps ended. */
  void deferred(HostOutcome outcome) {
    if (outcome instanceof HostOutcome.Paused p) {
      paused.add(p.host() + ": paused at deferred step " + p.step());
    } else if (outcome instanceof HostOutcome.Unreachable u) {
      paused.add(u.host() + ": unreachable (deferred steps)");
    }
  }

  /**
   * Returns whether {@code host} stopped in this execution (paused, unreachable, leased by another
   * run) or was held back: Ansible leaves a failed host out of every later play.
   */
  boolean stopped(String host) {
    return stopped.contains(host);
  }

  /** Counts {@code host} as stopped ({@link #stopped}): held back by {@code --retry-failed}. */
  void stop(String host) {
    stopped.add(host);
  }

  /** Returns those of {@code hosts} that are done, in their order. */
  List<PlannedHost> done(List<PlannedHost> hosts) {
    return hosts.stream().filter(h -> done.contains(h.host().name())).toList();
  }

  /** Returns the paused hosts so far, as {@code host: why}. */
  List<String> paused() {
    return List.copyOf(paused);
  }

  /** Returns how many hosts {@code --retry-failed} held back in the batches reached. */
  int heldBack() {
    return heldBack;
  }

  /** Returns whether another run's lease refused a host. */
  boolean refused() {
    return refused;
  }
}
