package dev.orchestrator.cli;

import dev.orchestrator.common.ErrorKind;

/**
 * The process exit codes of the {@code orchestrator} command. They are part of the public interface
 * (documented in the README, "Exit codes") and never change meaning. Only the CLI knows them: the
 * layers below report an {@link ErrorKind} or an outcome, mapped here ({@link #of(ErrorKind)}) and
 * in {@link Exits}.
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

  /**
   * The exit code of a failure of a kind: 1 for a bug, 2 for input (a run that does not exist
   * included), 3 when a host or download failed (the run is paused), 4 when refused, 5 for an
   * aborted run, 6 when the state store could not be written.
   *
   * @param kind what kind of failure ended the command
   * @return its exit code
   */
  public static ExitCode of(ErrorKind kind) {
    return switch (kind) {
      case BUG -> INTERNAL_ERROR;
      case INVALID_INPUT, NOT_FOUND -> INVALID_INPUT;
      case UPSTREAM_FAILED -> PAUSED;
      case CONFLICT, NOT_ALLOWED -> REFUSED;
      case RUN_ABORTED -> ABORTED;
      case STATE_UNAVAILABLE -> STATE_UNAVAILABLE;
    };
  }

  /** Returns the numeric process exit code. */
  public int code() {
    return code;
  }
}
