package dev.orchestrator.cli;

import dev.orchestrator.app.ConnectionSettings;
import dev.orchestrator.app.PlanRequest;
import dev.orchestrator.app.PlanResult;
import dev.orchestrator.app.RunRequest;
import dev.orchestrator.report.PlanRenderer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code orchestrator plan}: the dry run. Prints stages → gates → batches → a step × host matrix
 * with what will happen, from the playbook, the inventory and (with {@code --run}) a run's
 * checkpoints. Opens no connection and changes nothing, unless {@code --check} asks for read-only
 * probes.
 */
@Command(
    name = "plan",
    description =
        "Show which steps would run on which hosts, in which stage and batch, behind which gates. Changes nothing.",
    footer = {
      "%nExamples:%n  orchestrator plan playbooks/nextcloud-update.yml -i inventory/example-production.yml%n  orchestrator plan playbooks/nextcloud-update.yml -i inventory/example-production.yml --check --limit qa"
    })
final class PlanCommand implements Callable<Integer> {
  @Mixin CommonOptions.PlaybookTarget planned = new CommonOptions.PlaybookTarget();

  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      description =
          "Mark the steps already done according to this run's checkpoints, and show edited steps.")
  String runId;

  @Option(
      names = "--check",
      description =
          "Connect and run only read-only probes (creates tests, each step's check: command) to predict more precisely.")
  boolean check;

  @Option(
      names = "--diff",
      description =
          "With --check: show the unified diff of every file a template: or copy: step would change (read from the hosts, secrets masked).")
  boolean diff;

  @Option(
      names = "--known-hosts",
      paramLabel = "FILE",
      description = "The known_hosts file for --check (default: ~/.ssh/known_hosts).")
  Path knownHosts;

  @Mixin RemoteUserOptions remote = new RemoteUserOptions();

  @Option(
      names = {"-f", "--forks"},
      defaultValue = "10",
      paramLabel = "N",
      description = "Hosts probed at once with --check (default: ${DEFAULT-VALUE}).")
  int forks = 10;

  @Option(
      names = "--retry-failed",
      description =
          "With --run: plan 'resume --retry-failed': only the failed hosts; the others are shown held back.")
  boolean retryFailed;

  @Mixin CommonOptions.Output output = new CommonOptions.Output();

  @Mixin CommonOptions.State state = new CommonOptions.State();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  @Mixin CommonOptions.Selection selection = new CommonOptions.Selection();

  @Mixin ListingOptions listings = new ListingOptions();

  @ParentCommand OrchestratorCommand top;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (forks < 1) {
      throw new dev.orchestrator.common.InputException(
          "--forks must be at least 1, got " + forks, "write e.g. --forks 10");
    }
    ConnectionSettings connection =
        new ConnectionSettings(
            Optional.ofNullable(knownHosts), false, false, remote.defaults(), remote.privilege());
    RunRequest request =
        planned.request(vars, selection, connection, forks, state.location(), false, state.hints());
    if (listings.print(request, spec.commandLine().getOut())) {
      return 0;
    }
    if (diff && !check) {
      throw new dev.orchestrator.common.InputException(
          "--diff needs --check (it reads the files on the hosts)", "add --check");
    }
    PlanRequest planRequest =
        new PlanRequest(request, Optional.ofNullable(runId), check, retryFailed);
    planAndShow(top, spec.commandLine(), planRequest, diff, output);
    return 0;
  }

  /**
   * Plans, prints the plan and, with {@code diff} (text output), the file diffs: {@code plan} and
   * {@code run --check [--diff]}.
   */
  static void planAndShow(
      OrchestratorCommand top,
      picocli.CommandLine cl,
      PlanRequest planRequest,
      boolean diff,
      CommonOptions.Output output) {
    PlanResult result = top.service().plan(planRequest);
    show(top, cl, result, output);
    if (diff && !output.json()) {
      top.service().fileDiffs(planRequest, result.plan()).forEach(cl.getOut()::println);
      cl.getOut().flush();
    }
  }

  /** Prints a plan (also for {@code sandbox --plan}): the hosts not probed, then the plan. */
  static void show(
      OrchestratorCommand top,
      picocli.CommandLine cl,
      PlanResult result,
      CommonOptions.Output output) {
    result.warnings().forEach(w -> cl.getErr().println("warning: " + w));
    result
        .unreachable()
        .forEach(
            (h, why) -> cl.getErr().println("plan --check: " + h + " could not be probed: " + why));
    if (output.json()) {
      PlanRenderer.json(result.plan(), result.probed(), cl.getOut());
    } else {
      PlanRenderer.text(result.plan(), result.probed(), cl.getOut(), colors(top.terminal()));
    }
    cl.getOut().flush();
  }

  /**
   * Colours for a terminal, decided as for every view by {@link
   * dev.orchestrator.report.ConsoleColours} (picocli's own detection ignores TERM=dumb and
   * NO_COLOR); picocli's ANSI markup paints them.
   */
  private static PlanRenderer.Colors colors(Terminal terminal) {
    picocli.CommandLine.Help.Ansi ansi = picocli.CommandLine.Help.Ansi.ON;
    if (!terminal.processStdout() || !terminal.colour().getAsBoolean()) {
      return (p, t) -> t;
    }
    return (p, t) -> {
      String style =
          switch (p) {
            case RUN, DECIDED_AT_RUN_TIME -> "green";
            case RETRY, RERUN, IN_DOUBT -> "yellow";
            case SKIP, NOT_SELECTED -> "faint";
            case DONE, SKIPPED -> "blue";
            case PAUSE -> "red";
            case NOT_REACHED -> "faint";
          };
      return ansi.string("@|" + style + " " + t + "|@");
    };
  }
}
