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

  /**
   * Refuses a playbook of several plays on a shared store (the PostgreSQL store), before anything
   * is recorded: its controllers plan a claimed host in one stage only.
   *
   * @throws dev.orchestrator.common.InputException when the store is shared and the playbook has
   *     several plays
   */
  static void check(dev.orchestrator.state.StateStore store, dev.orchestrator.plan.Plan plan) {
    if (store.shared().isPresent() && !plan.playbook().plays().isEmpty()) {
      throw new dev.orchestrator.common.InputException(
          plan.playbook().file()
              + " has "
              + plan.playbook().plays().size()
              + " plays: a run on the shared PostgreSQL store runs playbooks of one play for now",
          "run it with the file store (--state-dir), or split the plays into playbooks of one"
              + " play each");
    }
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
