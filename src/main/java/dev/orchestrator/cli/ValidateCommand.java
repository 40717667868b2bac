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
 * files), with no connection and nothing written. Exit code 0, or 2 with the first problem. With
 * {@code --ansible-report}, the migration report of an Ansible playbook tree instead: every play,
 * role, task and handler as supported, mapped or unsupported, and why (exit 2 when something is
 * unsupported); no inventory needed.
 */
@Command(
    name = "validate",
    description =
        "Check a playbook against an inventory as run would before starting; no connection, nothing written.",
    footer = {
      "%nExamples:%n  orchestrator validate playbooks/nextcloud-update.yml -i inventory/example-production.yml",
      "  orchestrator validate site.yml --ansible-report"
    })
final class ValidateCommand implements Callable<Integer> {
  @Mixin CommonOptions.PlaybookTarget planned = new CommonOptions.PlaybookTarget();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  @Mixin CommonOptions.Selection selection = new CommonOptions.Selection();

  @Mixin RemoteUserOptions remote = new RemoteUserOptions();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Option(
      names = "--ansible-report",
      description =
          "For an Ansible playbook: list every play, role, task and handler of its tree as"
              + " supported, mapped or unsupported, and why (exit 2 when something is unsupported)."
              + " No inventory needed.")
  boolean ansibleReport;

  @Override
  public Integer call() {
    if (ansibleReport) {
      dev.orchestrator.playbook.MigrationReport report =
          dev.orchestrator.app.Migration.of(planned.playbook);
      spec.commandLine().getOut().print(dev.orchestrator.report.MigrationReportText.of(report));
      spec.commandLine().getOut().flush();
      return report.runsUnchanged() ? 0 : ExitCode.INVALID_INPUT.code();
    }
    Plan plan =
        top.service()
            .validate(
                planned.request(
                    vars,
                    selection,
                    new ConnectionSettings(
                        Optional.empty(), false, false, remote.defaults(), remote.privilege()),
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
