package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one batch: up to {@code forks} host pipelines at once (no lock-step across hosts), and
 * returns how each ended, in the batch's (inventory) order. A bug on one host surfaces as soon as
 * that host ends, not once the hosts before it end. {@link #shutdown} stops the threads.
 */
final class BatchRunner implements Batches {
  private final ExecutorService pool;
  private final PipelineFactory pipelines;

  /**
   * @param forks the most hosts at once, at least 1
   * @param pipelines builds the hosts' pipelines
   */
  BatchRunner(int forks, PipelineFactory pipelines) {
    this.pool = Executors.newFixedThreadPool(forks, Pools.daemon("host-pipeline"));
    this.pipelines = pipelines;
  }

  @Override
  public List<HostOutcome> run(List<PlannedHost> work, boolean anyErrorsFatal) {
    AtomicBoolean stop = new AtomicBoolean(false);
    pipelines.batchStarts(work);
    CompletionService<HostOutcome> finishing = new ExecutorCompletionService<>(pool);
    List<Future<HostOutcome>> futures = new ArrayList<>();
    for (PlannedHost host : work) {
      futures.add(
          finishing.submit(() -> pipelines.create(host, false, stop, anyErrorsFatal).run()));
    }
    HostOutcome[] outcomes = new HostOutcome[futures.size()];
    for (int n = 0; n < futures.size(); n++) {
      Future<HostOutcome> f = take(finishing);
      outcomes[futures.indexOf(f)] = Pools.join(f);
    }
    return List.of(outcomes);
  }

  @Override
  public void idle(List<PlannedHost> hosts) {
    List<Future<?>> gathering = new ArrayList<>();
    for (PlannedHost host : hosts) {
      gathering.add(pool.submit(() -> pipelines.idle(host)));
    }
    gathering.forEach(Pools::join);
  }

  @Override
  public void shutdown() {
    pool.shutdownNow();
  }

  private static Future<HostOutcome> take(CompletionService<HostOutcome> finishing) {
    try {
      return finishing.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for hosts", e);
    }
  }
}
