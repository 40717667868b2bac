package dev.orchestrator.cli;

import dev.orchestrator.app.Outcome;
import dev.orchestrator.app.RunRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
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

  @Mixin CommonOptions.PlaybookTarget planned = new CommonOptions.PlaybookTarget();

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

  @Mixin ListingOptions listings = new ListingOptions();

  @Option(
      names = {"-C", "--check"},
      description =
          "Change nothing: connect, probe read-only and print what would run, as 'plan --check'"
              + " (ansible-playbook's --check; differs: no step runs, not even in check mode, and"
              + " nothing is stored).")
  boolean check;

  @Option(
      names = {"-D", "--diff"},
      description =
          "With --check: also print the diff of every file a template:/copy: step would change"
              + " (secrets masked), as 'plan --check --diff'. Differs from ansible-playbook: not"
              + " yet on a run that changes hosts (refused, exit 2).")
  boolean diff;

  @Option(
      names = AnsibleExitCodes.OPTION,
      description =
          "Exit with ansible-playbook's codes instead of ours: 0 ok, 2 a host failed, 4 hosts"
              + " unreachable (none failed) or a playbook/inventory error, 5 bad options, 1 other"
              + " errors (a refused lease, an aborted run, a run waiting at a gate), 250 a bug."
              + " Ours: 0 ok, 1 bug, 2 bad input, 3 paused (failed/unreachable hosts: resumable),"
              + " 4 refused, 5 aborted, 6 state store unavailable (README \"Exit codes\").")
  boolean ansibleExitCodes;

  @Option(
      names = "-v",
      description =
          "Verbose, as ansible-playbook's -v: each step's stdout and stderr under its line on the"
              + " console (and as step_output events with -o json), secrets masked, control"
              + " characters escaped. Differs: -vv and more print no more than -v (no module"
              + " arguments, no SSH details); the full output is also in 'orchestrator logs'.")
  boolean[] verbose = new boolean[0];

  @ParentCommand OrchestratorCommand top;

  @Override
  public Integer call() {
    if (forks < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--forks must be at least 1, got " + forks);
    }
    RunRequest request =
        planned
            .request(
                vars,
                selection,
                connection.settings(),
                forks,
                state.location(),
                takeOver,
                state.hints())
            .withVerbosity(verbose.length);
    if (listings.print(request, spec.commandLine().getOut())) {
      return 0;
    }
    if (diff && !check) {
      throw new dev.orchestrator.common.InputException(
          "--diff on a run that changes hosts is not supported yet",
          "see the diffs first with --check --diff (nothing is changed), then run without --diff");
    }
    if (check) {
      // ansible-playbook --check: predict, change nothing (= orchestrator plan --check)
      PlanCommand.planAndShow(
          top,
          spec.commandLine(),
          new dev.orchestrator.app.PlanRequest(request, java.util.Optional.empty(), true, false),
          diff,
          output);
      return 0;
    }
    AnsibleExitCodes ansible = new AnsibleExitCodes();
    Outcome outcome =
        top.service()
            .run(
                request,
                ansible.watching(top.sink(output.format, spec.commandLine().getOut())),
                top.console());
    return ansibleExitCodes ? ansible.of(outcome) : Exits.of(outcome);
  }
}
