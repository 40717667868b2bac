package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import java.util.List;

/**
 * Runs a batch's host pipelines and returns how each ended: on this controller ({@link
 * BatchRunner}) or shared with the run's other controllers ({@link SharedBatchRunner}).
 */
interface Batches {
  /**
   * Runs the hosts' pipelines and waits for all of them.
   *
   * @param work the batch's hosts with work to do, in order
   * @param anyErrorsFatal whether a failing host stops the others before their next step
   * @return how each host ended, in the order of {@code work}
   * @throws RuntimeException a pipeline's own (a bug)
   */
  List<HostOutcome> run(List<PlannedHost> work, boolean anyErrorsFatal);

  /**
   * Gathers the facts of the batch's hosts that have nothing left to run ({@link DoneHostFacts}),
   * in parallel, and waits for them; nothing by default.
   */
  default void idle(List<PlannedHost> hosts) {}

  /** Stops the threads (pipelines under way are interrupted). */
  void shutdown();
}
