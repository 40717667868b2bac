package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The deferred steps ({@code deferred: true}) of the hosts of the batches that passed: they start
 * without holding the rollout and are awaited at the end of the run. {@link #shutdown} stops the
 * threads.
 */
final class DeferredSteps {
  private final ExecutorService pool;
  private final PipelineFactory pipelines;
  private final List<Future<HostOutcome>> started = new ArrayList<>();

  /**
   * @param forks the most hosts at once, at least 1
   * @param pipelines builds the hosts' pipelines
   */
  DeferredSteps(int forks, PipelineFactory pipelines) {
    this.pool = Executors.newFixedThreadPool(forks, Pools.daemon("deferred-steps"));
    this.pipelines = pipelines;
  }

  /** Starts the deferred steps of those of {@code hosts} that have any. */
  void start(List<PlannedHost> hosts) {
    for (PlannedHost host : hosts) {
      if (HostPipeline.hasWork(host, true)) {
        started.add(
            pool.submit(() -> pipelines.create(host, true, new AtomicBoolean(false), false).run()));
      }
    }
  }

  /**
   * Waits for every deferred step started.
   *
   * @return how each host's deferred steps ended, in the order they started
   * @throws RuntimeException a pipeline's own (a bug)
   */
  List<HostOutcome> await() {
    List<HostOutcome> outcomes = new ArrayList<>();
    for (Future<HostOutcome> f : started) {
      outcomes.add(Pools.join(f));
    }
    return outcomes;
  }

  /** Stops the pool's threads (pipelines under way are interrupted). */
  void shutdown() {
    pool.shutdownNow();
  }
}
