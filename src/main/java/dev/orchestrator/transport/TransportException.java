package dev.orchestrator.transport;

/**
 * The host could not be reached or the connection broke: distinct from a command that ran and
 * failed (that is an {@link ExecResult} with a non-zero exit code). The message says what to do.
 */
public final class TransportException extends Exception {
  /** What kind of failure this is. */
  public enum Kind {
    /** TCP connect failed or timed out. */
    CONNECT,
    /** The host key is unknown or changed. */
    HOST_KEY,
    /** Authentication was refused. */
    AUTH,
    /** An established connection broke. */
    LOST
  }

  private final Kind kind;

  /**
   * Creates an exception.
   *
   * @param kind the kind
   * @param message what happened and what to do
   * @param cause the cause, or null
   */
  public TransportException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** Returns the kind of failure. */
  public Kind kind() {
    return kind;
  }
}
