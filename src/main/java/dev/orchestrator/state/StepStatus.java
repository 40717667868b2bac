package dev.orchestrator.state;

/** The state of one step on one host (a checkpoint); see README "State machines". */
public enum StepStatus {
  /** Not started. */
  PENDING,
  /** Started: durable before the command is sent (write-ahead). */
  RUNNING,
  /** Finished with exit code 0. */
  SUCCEEDED,
  /** Finished unsuccessfully after its retries; the host is paused at this step. */
  FAILED,
  /** Not run: its condition was false, or the operator skipped it. */
  SKIPPED;

  /** Returns whether the step needs no more work ({@code SUCCEEDED} or {@code SKIPPED}). */
  public boolean isDone() {
    return this == SUCCEEDED || this == SKIPPED;
  }
}
