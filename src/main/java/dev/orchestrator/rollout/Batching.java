package dev.orchestrator.rollout;

import dev.orchestrator.playbook.BatchSize;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a stage's hosts into batches by {@code serial}, as Ansible does: each value of the list
 * gives the next batch's size (a percentage of the stage's host count, rounded down but at least
 * one host) and the last value repeats until every host is in a batch.
 */
public final class Batching {
  private Batching() {}

  /**
   * Splits {@code hosts} into consecutive batches.
   *
   * @param hosts the stage's hosts, in order
   * @param serial the batch sizes; the last repeats
   * @return the batches, in order; empty when there are no hosts
   */
  public static <T> List<List<T>> split(List<T> hosts, List<BatchSize> serial) {
    if (serial.isEmpty()) {
      throw new IllegalArgumentException("serial must not be empty");
    }
    List<List<T>> batches = new ArrayList<>();
    int i = 0;
    int next = 0;
    while (i < hosts.size()) {
      BatchSize size = serial.get(Math.min(next, serial.size() - 1));
      next++;
      int n = Math.min(size.hostsFor(hosts.size()), hosts.size() - i);
      batches.add(List.copyOf(hosts.subList(i, i + n)));
      i += n;
    }
    return batches;
  }
}
