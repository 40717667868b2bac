package dev.orchestrator.app;

import dev.orchestrator.execute.RunExecutor;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;

/** What a controller does when its process ends while a run executes. */
final class ExitHook {
  private ExitHook() {}

  /**
   * The shutdown hook of a run: the process is ending (SIGTERM, SIGINT, SIGHUP, System.exit) while
   * the run executes. Pauses the run with a reason and marks its leases paused.
   */
  static void stopOnExit(RunExecutor executor, RunJournal journal, RunExecutor.NextCommands next) {
    String reason =
        "the controller process was stopped (SIGTERM, SIGINT or SIGHUP) while the run was executing;"
            + " steps under way may or may not have finished: resume checks them";
    if (executor.interrupt(reason) == RunExecutor.Interrupted.NOT_STARTED) {
      try {
        if (journal.info().status() == RunStatus.RUNNING) {
          journal.status(RunStatus.PAUSED, reason);
        }
      } catch (RuntimeException e) {
        // The state store cannot be written while the process ends; resume still works.
      }
    }
  }
}
