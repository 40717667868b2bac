package dev.orchestrator.cli;

import dev.orchestrator.app.WorkerRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code orchestrator worker --state postgresql://…}: a further controller for the runs of a shared
 * PostgreSQL store (issue 15). See {@link dev.orchestrator.app.Orchestrator#work}.
 */
@Command(
    name = "worker",
    description = {
      "Join the running runs of a shared PostgreSQL state store as a further controller: claim"
          + " hosts of their current batches (row leases), run their steps, and take over a run"
          + " whose controller died. Runs until stopped (SIGTERM, Ctrl-C), or with --run until"
          + " that run is no longer running.",
      "Needs the runs' playbook and inventory at the same paths as where they were started, and"
          + " the SSH keys, known_hosts and secrets files they use.",
      "Leases on the database live ORCHESTRATOR_CONTROLLER_TTL seconds (default 30) without a"
          + " heartbeat: a dead controller's hosts and runs are taken over after that."
    },
    footer = {
      "%nExamples:%n  orchestrator worker --state postgresql://ops@db.example.org:5432/orchestrator%n  orchestrator worker --state postgresql://ops@db:5432/orchestrator --run 20261121-051207-nextcloud-update-3fa2 --max-hosts 20"
    })
final class WorkerCommand implements Callable<Integer> {
  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      description = "Join only this run, and end when it is no longer running.")
  String runId;

  @Option(
      names = "--max-hosts",
      paramLabel = "N",
      defaultValue = "10",
      description = "The most hosts worked on at once (default: ${DEFAULT-VALUE}).")
  int maxHosts;

  @Mixin CommonOptions.StoredRun stored = new CommonOptions.StoredRun();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var cl = spec.commandLine();
    return Exits.of(
        top.service()
            .work(
                new WorkerRequest(
                    stored.state.location(),
                    Optional.ofNullable(runId),
                    maxHosts,
                    stored.vars.input(),
                    stored.connection.settings(),
                    stored.state.hints()),
                top.sink(stored.output.format, cl.getOut()),
                top.console(cl)));
  }
}
