package dev.orchestrator.common;

import java.util.Objects;

/**
 * A failure the user can act on. The message says what went wrong and where; {@link #hint()} says
 * what to do next; {@link #kind()} says what kind of failure it is, which the CLI maps to its exit
 * code and the web console to an HTTP status.
 *
 * <p>Subclasses name the common kinds: {@link InputException} (invalid input), {@link
 * NotFoundException} (a run that does not exist).
 */
public class OrchestratorException extends RuntimeException {
  private final ErrorKind kind;
  private final String hint;

  /**
   * Creates an exception.
   *
   * @param kind what kind of failure it is
   * @param message what went wrong, and where
   * @param hint what to do next; may be empty, never null
   */
  public OrchestratorException(ErrorKind kind, String message, String hint) {
    this(kind, message, hint, null);
  }

  /**
   * Creates an exception with a cause (shown only with {@code --stacktrace}).
   *
   * @param kind what kind of failure it is
   * @param message what went wrong, and where
   * @param hint what to do next; may be empty, never null
   * @param cause the underlying failure, or null
   */
  public OrchestratorException(ErrorKind kind, String message, String hint, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.hint = Objects.requireNonNull(hint, "hint");
  }

  /** Returns what kind of failure this is. */
  public ErrorKind kind() {
    return kind;
  }

  /** Returns what the user should do next, or an empty string. */
  public String hint() {
    return hint;
  }
}
