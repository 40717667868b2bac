package dev.orchestrator.cli;

import dev.orchestrator.execute.RunExecutor;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code orchestrator run}: plans, then executes a playbook against an inventory. */
@Command(
    name = "run",
    description =
        "Run a playbook: stages in order, batches within a stage, checkpointing every step.",
    footer = {
      "%nExamples:%n  orchestrator run playbooks/nextcloud-update.yml -i inventory/example-production.yml%n  orchestrator run playbooks/nextcloud-update.yml -i hosts.ini --forks 50 --limit qa -e target_version=28.0.14"
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook file.")
  Path playbook;

  @Mixin CommonOptions.Target target = new CommonOptions.Target();

  @Option(
      names = {"-f", "--forks"},
      defaultValue = "10",
      paramLabel = "N",
      description = "Hosts worked on at once within a batch (default: ${DEFAULT-VALUE}).")
  int forks = 10;

  @Mixin CommonOptions.ConnectionOptions connection = new CommonOptions.ConnectionOptions();

  @Mixin CommonOptions.Output output = new CommonOptions.Output();

  @Option(
      names = "--take-over",
      description =
          "Take over stale leases (heartbeat older than their TTL) held by runs of other machines.")
  boolean takeOver;

  @Mixin CommonOptions.State state = new CommonOptions.State();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  @Mixin CommonOptions.Selection selection = new CommonOptions.Selection();

  /** The commands shown to continue, {@code %s} for the run id; null means plain resume/approve. */
  RunExecutor.NextCommands nextCommands;

  /** Whether approval gates pass by themselves (the sandbox demo). */
  boolean autoApprove;

  @Override
  public Integer call() {
    dev.orchestrator.transport.ssh.SshConnector.warmUpInBackground(); // overlaps planning

    if (forks < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--forks must be at least 1, got " + forks);
    }
    TemplateEngine templates = new TemplateEngine();
    Playbook pb = new PlaybookLoader().load(playbook);
    RunInputs inputs =
        RunInputs.forNewRun(playbook, pb, target, selection, forks, connection, vars);
    Inventory inv = InventoryLoader.load(target.inventory);
    String runId = RunStore.newRunId(pb.name());
    Plan plan =
        new Planner(templates)
            .plan(
                pb,
                inv,
                inputs.vars(),
                Optional.ofNullable(target.limit),
                runId,
                Optional.empty(),
                selection.options(Set.of()));
    Wiring.checkConnectionInputs(plan);
    Wiring.checkArtifactInputs(plan, templates);
    Connector connector = Wiring.connector(inputs.spec());
    RunJournal journal = new RunStore(state.stateDir).create(runId, pb.name(), inputs.spec());
    RunExecutor.NextCommands next =
        nextCommands == null
            ? state.next(runId)
            : new RunExecutor.NextCommands(
                String.format(nextCommands.resume(), runId),
                String.format(nextCommands.approve(), runId));
    try {
      return Wiring.execute(
          plan,
          journal,
          connector,
          Wiring.sink(output.format, System.out),
          templates,
          forks,
          false,
          next,
          inputs.vars(),
          autoApprove
              ? dev.orchestrator.execute.ApprovalPolicy.AUTO_APPROVE
              : dev.orchestrator.execute.ApprovalPolicy.WAIT_FOR_PERSON,
          state.stateDir,
          takeOver,
          inputs.secretNames(),
          state.leaseCommands(
              target.inventory, inputs.spec().knownHosts().map(java.nio.file.Path::of)));
    } finally {
      Wiring.close(journal);
    }
  }
}
