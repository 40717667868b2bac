package dev.orchestrator.cli;

import dev.orchestrator.execute.Prober;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanOptions;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.report.PlanRenderer;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
  @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook file.")
  Path playbook;

  @Mixin CommonOptions.Target target = new CommonOptions.Target();

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
      names = "--known-hosts",
      paramLabel = "FILE",
      description = "The known_hosts file for --check (default: ~/.ssh/known_hosts).")
  Path knownHosts;

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

  @Override
  public Integer call() {
    if (forks < 1) {
      throw new dev.orchestrator.common.InputException(
          "--forks must be at least 1, got " + forks, "write e.g. --forks 10");
    }
    Optional<RunState> run =
        Optional.ofNullable(runId).map(id -> new RunStore(state.stateDir).load(id));
    Playbook pb = new PlaybookLoader().load(playbook);
    CommonOptions.ConnectionOptions connection = new CommonOptions.ConnectionOptions();
    connection.knownHosts = knownHosts;
    // The same inputs as the run (a new one, or the stored one with what is given now on top).
    RunInputs inputs =
        run.isPresent()
            ? RunInputs.forStoredRun(runId, run.get().info().spec(), pb, connection, vars)
            : RunInputs.forNewRun(playbook, pb, target, selection, forks, connection, vars);
    Map<String, Object> extra = inputs.vars();
    Inventory inv = InventoryLoader.load(target.inventory);
    Optional<String> lim =
        Optional.ofNullable(target.limit).or(() -> run.flatMap(r -> r.info().spec().limit()));
    TemplateEngine templates = new TemplateEngine();
    Planner planner = new Planner(templates);
    String id = runId == null ? "(new run)" : runId;
    PlanOptions options = selection.options(Set.of());
    if (run.isPresent()
        && selection.tags.isEmpty()
        && selection.skipTags.isEmpty()
        && !selection.includeExpensive) {
      var spec = run.get().info().spec();
      options =
          new PlanOptions(
              spec.tags(), spec.skipTags(), spec.includeExpensive(), Set.of(), Map.of());
    }
    if (retryFailed) {
      options = options.withScope(PlanOptions.Scope.FAILED_HOSTS_ONLY);
    }
    Plan plan = planner.plan(pb, inv, extra, lim, id, run, options);
    if (check) {
      Optional<Path> kh = inputs.spec().knownHosts().map(Path::of);
      Map<String, String> unreachable = new LinkedHashMap<>();
      var probes =
          new Prober(Wiring.connector(kh, false), templates, forks).probe(plan, unreachable);
      plan = planner.plan(pb, inv, extra, lim, id, run, options.withProbes(probes));
      unreachable.forEach(
          (h, why) -> System.err.println("plan --check: " + h + " could not be probed: " + why));
    }
    Wiring.checkArtifactInputs(plan, templates);
    if (output.json()) {
      PlanRenderer.json(plan, check, System.out);
    } else {
      PlanRenderer.text(plan, check, System.out, colors());
    }
    return 0;
  }

  /**
   * Colours for a terminal, decided as for every view by {@link
   * dev.orchestrator.report.ConsoleColours} (picocli's own detection ignores TERM=dumb and
   * NO_COLOR); picocli's ANSI markup paints them.
   */
  private static PlanRenderer.Colors colors() {
    picocli.CommandLine.Help.Ansi ansi = picocli.CommandLine.Help.Ansi.ON;
    if (!dev.orchestrator.report.ConsoleColours.forStdout()) {
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
