package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;

/** A run stopped because its state store could not be written: what the user is told. */
final class StoreFailures {
  private StoreFailures() {}

  /**
   * Records a run that is still recorded running paused, with why it stopped and the command that
   * continues it (a failure of that write is added to {@code e} as suppressed).
   *
   * @param e what ended the run: a known failure, or a bug
   * @param journal the run's journal
   * @param resume the command that continues the run
   */
  static void recordPaused(Throwable e, RunJournal journal, String resume) {
    if (journal.info().status() != RunStatus.RUNNING) {
      return;
    }
    try {
      journal.status(
          RunStatus.PAUSED,
          (e instanceof OrchestratorException oe
                  ? oe.getMessage()
                  : "internal error: " + e + " (a bug in orchestrator)")
              + "; continue with: "
              + resume);
    } catch (RuntimeException again) {
      e.addSuppressed(again);
    }
  }

  /**
   * The failure as the user sees it: a state folder that could not be written (its hint lacks the
   * command, which the store does not know) says whether the run is recorded paused and gives the
   * command that continues it; any other failure is returned as it is.
   *
   * @param e what ended the run
   * @param journal the run's journal (its recorded status)
   * @param resume the command that continues the run
   */
  static OrchestratorException withResumeCommand(
      OrchestratorException e, RunJournal journal, String resume) {
    if (e.kind() != ErrorKind.STATE_UNAVAILABLE || e.hint().contains(" resume ")) {
      return e;
    }
    return new OrchestratorException(
        ErrorKind.STATE_UNAVAILABLE,
        e.getMessage()
            + (journal.info().status() == RunStatus.PAUSED
                ? "; the run is recorded paused"
                : "; the run could not be recorded paused either"),
        e.hint() + " with: " + resume,
        e);
  }
}
