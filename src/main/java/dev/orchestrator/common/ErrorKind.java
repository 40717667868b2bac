package dev.orchestrator.common;

/**
 * What kind of failure an {@link OrchestratorException} is, as the domain sees it. Each edge maps a
 * kind once: the CLI to its exit code ({@code cli.ExitCode#of}), the web console to an HTTP status
 * ({@code web.Api#status}). Nothing below those edges knows about exit codes or HTTP.
 *
 * <p>Paused and aborted are outcomes of a run ({@code app.Outcome}), not errors; two kinds here
 * name the failures that leave a run in those states ({@link #UPSTREAM_FAILED}, {@link
 * #RUN_ABORTED}), so that the CLI keeps their documented exit codes (3 and 5).
 */
public enum ErrorKind {
  /** A bug in orchestrator, or a state it cannot explain: exit 1, HTTP 500. */
  BUG,
  /**
   * The input is wrong (a playbook, inventory, variable, argument, request body, stored file): exit
   * 2, HTTP 400. Nothing ran.
   */
  INVALID_INPUT,
  /** What the input names does not exist (a run id): exit 2, HTTP 404. */
  NOT_FOUND,
  /**
   * Someone else holds it: another run holds a host's lease, or another live controller executes
   * the run: exit 4, HTTP 409.
   */
  CONFLICT,
  /**
   * Refused because of who asks (a gate needs another role; an approver must not be the run's
   * starter): exit 4, HTTP 403.
   */
  NOT_ALLOWED,
  /** The run was aborted, so it cannot be continued: exit 5, HTTP 409. */
  RUN_ABORTED,
  /**
   * Something the work needs from outside the controller, a host or a download, could not be
   * reached or did not deliver what it should (an artifact's checksum, an archive entry); the run,
   * if any, is recorded paused and resumable: exit 3, HTTP 502.
   */
  UPSTREAM_FAILED,
  /**
   * The state store could not be written (a database outage past its budget, a full disk): the run
   * stopped at that write and continues on resume: exit 6, HTTP 503.
   */
  STATE_UNAVAILABLE
}
