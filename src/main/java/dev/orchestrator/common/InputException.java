package dev.orchestrator.common;

/**
 * Invalid user input (a playbook, inventory, variable or argument): {@link
 * ErrorKind#INVALID_INPUT}. Thrown before anything is written to the state store or the hosts.
 */
public class InputException extends OrchestratorException {
  /**
   * Creates an input error.
   *
   * @param message what is wrong, including where ({@code file:line:column} for YAML)
   * @param hint what to do about it
   */
  public InputException(String message, String hint) {
    super(ErrorKind.INVALID_INPUT, message, hint);
  }

  /**
   * Creates an input error at a location in a file.
   *
   * @param location where the problem is
   * @param message what is wrong
   * @param hint what to do about it
   */
  public InputException(SourceLocation location, String message, String hint) {
    super(ErrorKind.INVALID_INPUT, location + ": " + message, hint);
  }

  /**
   * Creates an input error of a narrower kind ({@link NotFoundException}).
   *
   * @param kind the kind, one about the input
   * @param message what is wrong
   * @param hint what to do about it
   */
  protected InputException(ErrorKind kind, String message, String hint) {
    super(kind, message, hint);
  }
}
