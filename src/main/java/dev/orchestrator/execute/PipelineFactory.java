package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import java.util.concurrent.atomic.AtomicBoolean;

/** Builds a host's pipeline for one phase of an execution (its connector, journal and leases). */
@FunctionalInterface
interface PipelineFactory {
  /**
   * @param host the host
   * @param deferredPhase whether the pipeline runs the host's deferred steps
   * @param stop set by a failing host of the batch when {@code stopOthersOnFailure}; the batch's
   *     other hosts stop before their next step
   * @param stopOthersOnFailure the stage's {@code any_errors_fatal}
   */
  HostPipeline create(
      PlannedHost host, boolean deferredPhase, AtomicBoolean stop, boolean stopOthersOnFailure);

  /** The factory of pipelines that share {@code services}. */
  static PipelineFactory of(PipelineServices services) {
    return (host, deferredPhase, stop, stopOthers) ->
        new HostPipeline(host, services, deferredPhase, stop, stopOthers);
  }
}
