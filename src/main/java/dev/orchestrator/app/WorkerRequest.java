package dev.orchestrator.app;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code orchestrator worker} is asked: which shared store to serve, which run (or every
 * running run), how many hosts at once, and the inputs and connection settings it runs them with.
 *
 * @param state the shared store (a PostgreSQL database)
 * @param runId the one run to join (the worker ends when it is no longer running), or every run
 * @param maxHosts the most hosts worked on at once, at least 1
 * @param vars {@code -e}, {@code --vars-file}, {@code --secrets-file} (secret vars are never
 *     stored: a run that needs one the worker was not given is not joined)
 * @param connection known_hosts and host-key settings
 * @param hints the commands messages show
 */
public record WorkerRequest(
    StateLocation state,
    Optional<String> runId,
    int maxHosts,
    VarsInput vars,
    ConnectionSettings connection,
    CommandHints hints) {
  /**
   * Validates the fields.
   *
   * @throws dev.orchestrator.common.InputException when {@code maxHosts} is below 1
   */
  public WorkerRequest {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(vars, "vars");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(hints, "hints");
    if (maxHosts < 1) {
      throw new dev.orchestrator.common.InputException(
          "--max-hosts must be at least 1, got " + maxHosts, "write e.g. --max-hosts 10");
    }
  }
}
