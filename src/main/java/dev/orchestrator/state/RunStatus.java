package dev.orchestrator.state;

/**
 * The state of a run; see README "State machines". {@code run.json} stores the Java name ({@code
 * PAUSED}); events, {@code status} and the report show the {@link #label()} ({@code paused}).
 */
public enum RunStatus implements dev.orchestrator.common.Labelled {
  /** Being executed (or its controller died while executing it). */
  RUNNING,
  /** Every host finished every step. */
  SUCCEEDED,
  /** Stopped with resumable state: failed hosts or the failure budget. */
  PAUSED,
  /** Stopped for good. */
  ABORTED;

  /** The spelling of events and messages: the lower-case name, e.g. {@code paused}. */
  @Override
  public String label() {
    return dev.orchestrator.common.Labelled.lowerCase(this);
  }
}
