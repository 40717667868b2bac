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
  /**
   * Cannot preview: its {@code when} or {@code creates} depends on a value only known on the host
   * at run time ({@code plan --check} probes can decide some of these).
   */
  DECIDED_AT_RUN_TIME,
  /** Not selected: its tags are not asked for, or it is expensive and not requested. */
  NOT_SELECTED,
  /**
   * Will fail and pause the host ({@code plan --check} only): its read-only {@code check:} probe
   * failed; the reason is the message the run pauses with.
   */
  PAUSE,
  /**
   * Not reached ({@code plan --check} only): the host pauses at an earlier step ({@link #PAUSE}).
   */
  NOT_REACHED,
  /**
   * In doubt: it was running when the controller stopped, it keeps no remote record and is not
   * idempotent. The host pauses until the operator says {@code resume --assume-done} or {@code
   * --rerun}.
   */
  IN_DOUBT;

  /** Returns whether the executor visits this step (runs it, or records its skip). */
  public boolean needsWork() {
    return this != DONE && this != SKIPPED && this != NOT_SELECTED;
  }

  /** Returns whether the step's command will (or may) be executed. */
  public boolean mayRun() {
    return this == RUN
        || this == RETRY
        || this == RERUN
        || this == DECIDED_AT_RUN_TIME
        || this == PAUSE;
  }
}
