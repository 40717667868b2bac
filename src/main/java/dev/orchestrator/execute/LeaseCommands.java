package dev.orchestrator.execute;

/**
 * The commands a lease refusal shows, spelled as the operator must type them (the CLI knows the
 * launcher, the inventory and the options in use; the executor does not).
 */
public interface LeaseCommands {
  /** The command that continues run {@code runId} (the lease's holder). */
  String resume(String runId);

  /** The command that stops run {@code runId} for good and releases its leases. */
  String abort(String runId);

  /** The command that releases the lease of inventory host {@code host}, whoever holds it. */
  String unlock(String host);
}
