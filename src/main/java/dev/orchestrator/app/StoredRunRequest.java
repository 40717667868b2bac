package dev.orchestrator.app;

import java.util.Objects;

/**
 * A stored run as a command on it (resume, approve, reject, abort) names it, with what is given
 * again: variables (secret ones must be given again, they are never stored) and connection settings
 * that override the stored ones.
 *
 * @param runId the run
 * @param state where it is stored
 * @param vars the variables given now (on top of the stored ones)
 * @param connection the connection settings given now (on top of the stored ones)
 * @param hints the commands shown as next steps
 * @param actor who asks (recorded with what is done: approved by, aborted by)
 */
public record StoredRunRequest(
    String runId,
    StateLocation state,
    VarsInput vars,
    ConnectionSettings connection,
    CommandHints hints,
    Actor actor) {
  /**
   * Validates the fields. The run id is checked by the state store when the run is loaded (an
   * unknown, empty or path-like id is reported with the runs there are).
   */
  public StoredRunRequest {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(vars, "vars");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(hints, "hints");
    Objects.requireNonNull(actor, "actor");
  }

  /** A request by the operating system's user of this process ({@link Actor#local}). */
  public StoredRunRequest(
      String runId,
      StateLocation state,
      VarsInput vars,
      ConnectionSettings connection,
      CommandHints hints) {
    this(runId, state, vars, connection, hints, Actor.local());
  }
}
