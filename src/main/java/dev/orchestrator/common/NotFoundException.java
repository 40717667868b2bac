package dev.orchestrator.common;

/**
 * The input names something that does not exist (a run id): {@link ErrorKind#NOT_FOUND}. An input
 * error like any other on the CLI (exit 2); a 404 in the web console.
 */
public class NotFoundException extends InputException {
  /**
   * Creates a not-found error.
   *
   * @param message what was looked for, and where
   * @param hint what exists instead, or how to list it
   */
  public NotFoundException(String message, String hint) {
    super(ErrorKind.NOT_FOUND, message, hint);
  }
}
