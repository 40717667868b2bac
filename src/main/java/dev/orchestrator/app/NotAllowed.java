package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.OrchestratorException;

/**
 * Refused because of who asks: a gate needs another role, or its approver must not be the run's
 * starter. {@link ErrorKind#NOT_ALLOWED}: exit code 4 on the CLI; HTTP 403 in the web console.
 */
public final class NotAllowed extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was refused and why
   * @param hint who can do it instead
   */
  public NotAllowed(String message, String hint) {
    super(ErrorKind.NOT_ALLOWED, message, hint);
  }
}
