package dev.orchestrator.cli;

import dev.orchestrator.app.Unlocked;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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

  @Mixin InventoryOptions inventories = new InventoryOptions();

  @Option(
      names = "--known-hosts",
      paramLabel = "FILE",
      description = "The known_hosts file (default: ~/.ssh/known_hosts).")
  Path knownHosts;

  @Mixin CommonOptions.State state;

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Unlocked unlocked =
        top.service()
            .unlock(host, inventories.paths(), Optional.ofNullable(knownHosts), state.location());
    java.io.PrintWriter out = spec.commandLine().getOut();
    if (unlocked.lease().isEmpty()) {
      out.println(host + " had no lease (" + unlocked.leasePath() + ").");
      return 0;
    }
    out.println("released the lease of " + host + ": " + unlocked.lease().get());
    unlocked
        .recordedIn()
        .ifPresent(
            runId ->
                out.println(
                    "recorded in run "
                        + runId
                        + "; continue it with: "
                        + state.resumeCommand(runId)));
    return 0;
  }
}
