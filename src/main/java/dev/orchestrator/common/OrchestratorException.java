package dev.orchestrator.common;

import java.util.Objects;

/**
 * A failure the user can act on. The message says what went wrong and where; {@link #hint()} says
 * what to do next; {@link #exitCode()} is the process exit code the CLI returns for it.
 */
public class OrchestratorException extends RuntimeException {
  private final ExitCode exitCode;
  private final String hint;

  /**
   * Creates an exception.
   *
   * @param exitCode the exit code the CLI ends with
   * @param message what went wrong, and where
   * @param hint what to do next; may be empty, never null
   */
  public OrchestratorException(ExitCode exitCode, String message, String hint) {
    this(exitCode, message, hint, null);
  }

  /**
   * Creates an exception with a cause (shown only with {@code --stacktrace}).
   *
   * @param exitCode the exit code the CLI ends with
   * @param message what went wrong, and where
   * @param hint what to do next; may be empty, never null
   * @param cause the underlying failure, or null
   */
  public OrchestratorException(ExitCode exitCode, String message, String hint, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
    this.hint = Objects.requireNonNull(hint, "hint");
  }

  /** Returns the process exit code for this failure. */
  public ExitCode exitCode() {
    return exitCode;
  }

  /** Returns what the user should do next, or an empty string. */
  public String hint() {
    return hint;
  }
}
