package dev.orchestrator.cli;

import dev.orchestrator.common.ExitCode;
import dev.orchestrator.common.InputException;
import dev.orchestrator.common.OrchestratorException;
import dev.orchestrator.execute.HostLease;
import dev.orchestrator.inventory.Host;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.state.LeaseState;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.StateStore;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.TransportException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrator unlock HOST -i INVENTORY}: releases a host's lease whoever holds it (the
 * operator's way out when a controller is gone for good), and records that in the holder run's
 * checkpoints when that run is in this state store. The lease file is the one runs use: the host's
 * {@code lease_path} var or its per-host default ({@link HostLease#path}).
 */
@Command(
    name = "unlock",
    description = "Release a host's lease, whichever run holds it; recorded in that run.",
    footer = {
      "%nExample:%n  orchestrator unlock cloud2.example.org -i inventory/example-production.yml"
    })
final class UnlockCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HOST", description = "The inventory host.")
  String host;

  @Option(
      names = {"-i", "--inventory"},
      required = true,
      paramLabel = "FILE",
      description = "The inventory file.")
  Path inventory;

  @Option(
      names = "--known-hosts",
      paramLabel = "FILE",
      description = "The known_hosts file (default: ~/.ssh/known_hosts).")
  Path knownHosts;

  @Mixin CommonOptions.State state;

  @Override
  public Integer call() {
    Inventory inv = InventoryLoader.load(inventory);
    Host h =
        inv.host(host)
            .orElseThrow(
                () ->
                    new InputException(
                        "there is no host '" + host + "' in " + inventory,
                        "hosts are: " + String.join(", ", inv.hosts().keySet())));
    String path = HostLease.path(host, h.vars());
    Optional<String> lease;
    try (Connection c =
        Wiring.connector(Optional.ofNullable(knownHosts), false)
            .open(host, dev.orchestrator.execute.Endpoints.of(h.connection()))) {
      lease = HostLease.unlock(c, path);
    } catch (TransportException e) {
      throw new OrchestratorException(
          ExitCode.PAUSED,
          "cannot reach " + host + " to unlock it: " + e.getMessage(),
          "check the host, then try again");
    }
    if (lease.isEmpty()) {
      System.out.println(host + " had no lease (" + path + ").");
      return 0;
    }
    String runId = HostLease.runOf(lease.get());
    System.out.println("released the lease of " + host + ": " + lease.get());
    StateStore store = new RunStore(state.stateDir);
    if (store.list().stream().anyMatch(r -> r.id().equals(runId))) {
      try (RunJournal journal = store.open(runId)) {
        journal.recordLease(
            host,
            LeaseState.RELEASED,
            "released by " + GateDecision.who() + " (orchestrator unlock)");
      } catch (java.io.IOException e) {
        throw new OrchestratorException(
            ExitCode.INTERNAL_ERROR,
            "released, but cannot record it in run " + runId + ": " + e.getMessage(),
            "check the state folder",
            e);
      }
      System.out.println(
          "recorded in run " + runId + "; continue it with: " + state.resumeCommand(runId));
    }
    return 0;
  }
}
