package dev.orchestrator.cli;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrator plan}: the dry run. Prints stages → batches → hosts → steps with what will
 * happen, from the playbook, the inventory and (with {@code --run}) a run's checkpoints. Opens no
 * connection and changes nothing.
 */
@Command(
    name = "plan",
    description =
        "Show which steps would run on which hosts, in which stage and batch. Changes nothing.")
final class PlanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook file.")
  Path playbook;

  @Option(
      names = {"-i", "--inventory"},
      required = true,
      paramLabel = "FILE",
      description = "The inventory file.")
  Path inventory;

  @Option(
      names = {"-l", "--limit"},
      paramLabel = "PATTERN",
      description = "Only hosts matching this pattern.")
  String limit;

  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      description = "Mark the steps already done according to this run's checkpoints.")
  String runId;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text or json.")
  CommonOptions.Format output;

  @Mixin CommonOptions.State state;

  @Mixin CommonOptions.Vars vars;

  @Override
  public Integer call() {
    Map<String, String> extra = new LinkedHashMap<>();
    Optional<RunState> run =
        Optional.ofNullable(runId).map(id -> new RunStore(state.stateDir).load(id));
    run.ifPresent(r -> extra.putAll(r.info().spec().extraVars()));
    extra.putAll(vars.parse());
    Playbook pb = new PlaybookLoader().load(playbook);
    Inventory inv = InventoryLoader.load(inventory);
    Optional<String> lim =
        Optional.ofNullable(limit).or(() -> run.flatMap(r -> r.info().spec().limit()));
    Plan plan =
        new Planner(new TemplateEngine())
            .plan(pb, inv, extra, lim, runId == null ? "(new run)" : runId, run);
    if (output == CommonOptions.Format.json) {
      PlanRenderer.json(plan, System.out);
    } else {
      PlanRenderer.text(plan, System.out);
    }
    return 0;
  }
}
