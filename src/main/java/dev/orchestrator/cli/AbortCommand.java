package dev.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code orchestrator abort RUN_ID [--rollback]}: stops a run for good and releases its leases.
 * With {@code --rollback} the playbook's rollback steps run on every host that got past the step
 * marked {@code rollback_from: true}, checkpointed like any step; a rollback that fails can be
 * continued by the same command (its hosts keep their leases until then). A host that cannot be
 * reached keeps its lease, recorded as unreleased, with the {@code unlock} command that releases
 * it. Exit code 5 (aborted) once the run is aborted, rolled back or not; 3 while a rollback is
 * incomplete (run the command again); 4 when another run holds a host.
 */
@Command(
    name = "abort",
    description =
        "Stop a paused run for good; with --rollback, run the rollback steps on the hosts that need them.",
    footer = {
      "%nExamples:%n  orchestrator abort 20261121-051207-nextcloud-update-3fa2%n  orchestrator abort 20261121-051207-nextcloud-update-3fa2 --rollback"
    })
final class AbortCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run to abort.")
  String runId;

  @Option(
      names = "--rollback",
      description =
          "Run the playbook's rollback steps on every host past the 'rollback_from' step.")
  boolean rollback;

  @Mixin CommonOptions.StoredRun stored = new CommonOptions.StoredRun();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return Exits.of(
        top.service()
            .abort(
                stored.request(runId),
                rollback,
                top.sink(stored.output.format, spec.commandLine().getOut()),
                top.console()));
  }
}
