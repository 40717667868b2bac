package dev.orchestrator.cli;

import dev.orchestrator.app.ConnectionSettings;
import dev.orchestrator.plan.Plan;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code orchestrator validate PLAYBOOK -i INVENTORY}: every static check a run makes before it
 * starts (YAML, keys and types, templates and undefined variables per host, host selections, key
 * files), with no connection and nothing written. Exit code 0, or 2 with the first problem.
 */
@Command(
    name = "validate",
    description =
        "Check a playbook against an inventory as run would before starting; no connection, nothing written.",
    footer = {
      "%nExample:%n  orchestrator validate playbooks/nextcloud-update.yml -i inventory/example-production.yml"
    })
final class ValidateCommand implements Callable<Integer> {
  @Mixin CommonOptions.PlaybookTarget planned = new CommonOptions.PlaybookTarget();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  @Mixin CommonOptions.Selection selection = new CommonOptions.Selection();

  @Mixin RemoteUserOptions remote = new RemoteUserOptions();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Plan plan =
        top.service()
            .validate(
                planned.request(
                    vars,
                    selection,
                    new ConnectionSettings(Optional.empty(), false, false, remote.defaults()),
                    1,
                    dev.orchestrator.app.StateLocation.folder(Path.of(".orchestrator")),
                    false,
                    new CommonOptions.State().hints()));
    long hosts = plan.hostOrder().size(); // a host in several plays once
    spec.commandLine()
        .getOut()
        .printf(
            "%s is valid for %s: %d stage(s), %d host(s), %d step(s) per host%n",
            planned.playbook,
            planned.target.describe(),
            plan.stages().size(),
            hosts,
            plan.playbook().steps().size());
    return 0;
  }
}
