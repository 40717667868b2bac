package dev.orchestrator.app;

import dev.orchestrator.state.RunJournal;

/**
 * What a run on a shared store needs to share its batches (issue 15).
 *
 * @param hints the commands refusals show
 * @param rerun the step ids to run again ({@code resume --rerun-step})
 * @param replan plans the run again against a state: a host claimed after a takeover continues
 *     where its checkpoints say
 */
record SharedBatches(CommandHints hints, java.util.Set<String> rerun, Replanner replan) {
  SharedBatches {
    rerun = java.util.Set.copyOf(rerun);
  }

  dev.orchestrator.execute.SharedExecution execution(
      dev.orchestrator.state.WorkQueue queue, RunJournal journal) {
    return new dev.orchestrator.execute.SharedExecution(
        queue,
        (host, steps) -> replan.plan(journal.store().load(journal.runId()), steps, host),
        rerun,
        Coordination.ttl());
  }

  /** Plans one host of a run again against the run's current state. */
  @FunctionalInterface
  interface Replanner {
    /**
     * @param state the run's current state
     * @param rerun the step ids to run again
     * @param host the host
     * @return the host planned, or empty when the run does not select it
     */
    java.util.Optional<dev.orchestrator.plan.PlannedHost> plan(
        dev.orchestrator.state.RunState state, java.util.Set<String> rerun, String host);
  }
}
