package dev.orchestrator.state;

/** The state of a run; see design.md "States". */
public enum RunStatus {
  /** Being executed (or its controller died while executing it). */
  RUNNING,
  /** Every host finished every step. */
  SUCCEEDED,
  /** Stopped with resumable state: failed hosts or the failure budget. */
  PAUSED,
  /** Stopped for good. */
  ABORTED
}
