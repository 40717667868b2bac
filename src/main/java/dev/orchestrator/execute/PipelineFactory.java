package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds a host's pipeline for one phase of an execution (its connector, journal and leases), and
 * closes what the pipelines share (the delegates' connections) when the execution ends.
 */
@FunctionalInterface
interface PipelineFactory extends AutoCloseable {
  /**
   * @param host the host
   * @param deferredPhase whether the pipeline runs the host's deferred steps
   * @param stop set by a failing host of the batch when {@code stopOthersOnFailure}; the batch's
   *     other hosts stop before their next step
   * @param stopOthersOnFailure the stage's {@code any_errors_fatal}
   */
  HostPipeline create(
      PlannedHost host, boolean deferredPhase, AtomicBoolean stop, boolean stopOthersOnFailure);

  /**
   * Says which hosts of a batch this controller is about to run, in full (for {@code run_once}:
   * {@link OnceMeeting}). Nothing by default; a batch shared with other controllers never says.
   */
  default void batchStarts(java.util.List<PlannedHost> work) {}

  /**
   * Gathers the facts of a host that has nothing left to run in this execution ({@link
   * DoneHostFacts}); nothing by default.
   */
  default void idle(PlannedHost host) {}

  /** Closes what the pipelines share; never throws. Nothing by default. */
  @Override
  default void close() {}

  /** The factory of pipelines that share {@code services}; closing it closes their delegations. */
  static PipelineFactory of(PipelineServices services) {
    return new PipelineFactory() {
      @Override
      public HostPipeline create(
          PlannedHost host, boolean deferredPhase, AtomicBoolean stop, boolean stopOthers) {
        return new HostPipeline(host, services, deferredPhase, stop, stopOthers);
      }

      @Override
      public void batchStarts(java.util.List<PlannedHost> work) {
        services.once().batch(work.stream().map(h -> h.host().name()).toList());
      }

      @Override
      public void idle(PlannedHost host) {
        if (!HostPipeline.hasWork(host, true)) {
          DoneHostFacts.gather(services, host.host().name(), host);
        }
      }

      @Override
      public void close() {
        services.delegation().close();
      }
    };
  }
}
