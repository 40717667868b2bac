package dev.orchestrator.app;

/** How a command that executes steps (run, resume, abort --rollback) ended. */
public enum Outcome {
  /** Every host finished (or, for a rollback, the run is aborted and rolled back). */
  SUCCEEDED,
  /** The run was already finished: nothing was done. */
  ALREADY_SUCCEEDED,
  /** The run paused (failures, the failure budget, an approval gate, a stop). */
  PAUSED,
  /** Another run holds a host's lease. */
  REFUSED,
  /** The run is aborted. */
  ABORTED
}
