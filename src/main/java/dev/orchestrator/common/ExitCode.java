package dev.orchestrator.common;

/**
 * The process exit codes of the {@code orchestrator} command. They are part of the public interface
 * (documented in the README) and never change meaning.
 */
public enum ExitCode {
  /** Everything asked for finished successfully. */
  SUCCEEDED(0),
  /** An unexpected internal error: a bug; rerun with {@code --stacktrace} and report it. */
  INTERNAL_ERROR(1),
  /** Invalid input or usage: a playbook, inventory, variable or argument is wrong. Nothing ran. */
  INVALID_INPUT(2),
  /** The run paused (failed hosts or a gate); it is resumable with {@code orchestrator resume}. */
  PAUSED(3),
  /** Refused: the run or host is held by someone else (a lease). */
  REFUSED(4),
  /** The run was aborted. */
  ABORTED(5),
  /**
   * The shared state database stayed unreachable longer than the outage budget: the controller
   * stopped sending commands; the run continues with {@code resume} once the database is back.
   */
  STATE_UNAVAILABLE(6);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** Returns the numeric process exit code. */
  public int code() {
    return code;
  }
}
