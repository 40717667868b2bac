package dev.orchestrator.plan;

/** What the plan predicts for one step on one host. */
public enum Prediction {
  /** Already succeeded according to the run's checkpoints: will not run again. */
  DONE,
  /** Already skipped according to the checkpoints (condition false, or skipped by the operator). */
  SKIPPED,
  /** Will run. */
  RUN,
  /** Failed before (the host is paused here): will run again on resume. */
  RETRY,
  /** Was running when the controller stopped: its outcome is unknown; will run again. */
  RERUN,
  /** Will be skipped: its {@code when} is false with the known vars. */
  SKIP,
  /** Its {@code when} or {@code creates} can only be decided on the host, at run time. */
  DECIDED_AT_RUN_TIME;

  /** Returns whether the executor still has work to do for this step. */
  public boolean needsWork() {
    return this != DONE && this != SKIPPED;
  }
}
