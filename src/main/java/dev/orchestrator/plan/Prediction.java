package dev.orchestrator.plan;

/**
 * What the plan predicts for one step on one host. The lower-cased name is the {@code prediction}
 * of {@code plan --output json} (README, "Plan"), so the names are part of the output.
 *
 * <p>Two pairs look alike and differ. {@link #SKIPPED} is a skip already recorded in the run's
 * checkpoints: the run does not visit the step again. {@link #SKIP} is a skip this run will make
 * and record (its {@code when} is false, or a probe found its {@code creates} path). {@link #RETRY}
 * follows a step that failed: the host is paused there and resume runs it again, attempt + 1.
 * {@link #RERUN} follows a step that was interrupted (running when the controller stopped) and is
 * safe to run again: resume re-attaches to a detached step's record on the host, or runs an
 * idempotent one again; an interrupted step that is neither is {@link #IN_DOUBT}.
 */
public enum Prediction {
  /** Already succeeded according to the run's checkpoints: will not run again. */
  DONE,
  /**
   * Already skipped according to the checkpoints (its condition was false, its {@code creates} path
   * existed, or the operator said {@code resume --skip-step}): not visited again. Compare {@link
   * #SKIP}, a skip still to be made.
   */
  SKIPPED,
  /** Will run. */
  RUN,
  /**
   * Failed before (its checkpoint says failed; the host is paused here): will run again on resume,
   * as a new attempt. Compare {@link #RERUN}, a step that was interrupted rather than failed.
   */
  RETRY,
  /**
   * Was running when the controller stopped (its checkpoint says running) and is safe to run again:
   * a detached step is re-attached to its record on the host, an idempotent one runs again. Compare
   * {@link #RETRY} (it failed) and {@link #IN_DOUBT} (interrupted, and not safe to run again).
   */
  RERUN,
  /**
   * Will be skipped by this run, which records the skip: its {@code when} is false with the known
   * vars, or ({@code plan --check}) its {@code creates} path exists. Compare {@link #SKIPPED}, a
   * skip already recorded.
   */
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
