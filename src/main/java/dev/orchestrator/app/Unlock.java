package dev.orchestrator.app;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.HostLease;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.state.LeaseState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.TransportException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Releases a host's lease whichever run holds it ({@link Orchestrator#unlock}): the operator's way
 * out when a controller is gone for good. The lease file is the one runs use: the host's {@code
 * lease_path} var or its per-host default ({@link HostLease#path}).
 */
final class Unlock {
  private Unlock() {}

  /**
   * Releases a host's lease whoever holds it, and records that in the holder run when it is in this
   * state store.
   *
   * @param knownHosts the known_hosts file, if not the default
   * @throws InputException when the host is not in the inventory
   * @throws OrchestratorException {@link ErrorKind#UPSTREAM_FAILED} when the host cannot be reached
   */
  static Unlocked unlock(
      String host,
      java.util.List<Path> inventories,
      Optional<Path> knownHosts,
      StateLocation state,
      Path localHome) {
    Inventory inv = AnsibleDefaults.inventory(inventories, Optional.empty());
    Host h =
        inv.host(host)
            .orElseThrow(
                () ->
                    new InputException(
                        "there is no host "
                            + dev.orchestrator.common.Echo.quote(host)
                            + " in "
                            + inv.describe(),
                        "hosts are: " + String.join(", ", inv.hosts().keySet())));
    String path = HostLease.path(host, h.vars());
    Optional<String> lease;
    try (Connection c =
        Wiring.connector(knownHosts, false, localHome)
            .open(host, dev.orchestrator.execute.Endpoints.of(h.connection()))) {
      lease = HostLease.unlock(c, path);
    } catch (TransportException e) {
      throw new OrchestratorException(
          ErrorKind.UPSTREAM_FAILED,
          "cannot reach " + host + " to unlock it: " + e.getMessage(),
          "check the host, then try again");
    }
    if (lease.isEmpty()) {
      return new Unlocked(path, lease, Optional.empty());
    }
    String runId = HostLease.runOf(lease.get());
    dev.orchestrator.state.StateStore store = state.store();
    if (store.list().stream().noneMatch(r -> r.id().equals(runId))) {
      return new Unlocked(path, lease, Optional.empty());
    }
    try (RunJournal journal = store.open(runId)) {
      journal.recordLease(
          host, LeaseState.RELEASED, "released by " + Approvals.who() + " (orchestrator unlock)");
    } catch (IOException e) {
      throw new OrchestratorException(
          ErrorKind.BUG,
          "released, but cannot record it in run " + runId + ": " + e.getMessage(),
          "check the state folder",
          e);
    }
    return new Unlocked(path, lease, Optional.of(runId));
  }
}
