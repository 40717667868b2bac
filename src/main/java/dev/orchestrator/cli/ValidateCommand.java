package dev.orchestrator.cli;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

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
  @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook file.")
  Path playbook;

  @Mixin CommonOptions.Target target = new CommonOptions.Target();

  @Mixin CommonOptions.Vars vars = new CommonOptions.Vars();

  @Mixin CommonOptions.Selection selection = new CommonOptions.Selection();

  @Override
  public Integer call() {
    Playbook pb = new PlaybookLoader().load(playbook);
    Map<String, Object> all =
        RunInputs.forNewRun(
                playbook, pb, target, selection, 1, new CommonOptions.ConnectionOptions(), vars)
            .vars();
    Inventory inv = InventoryLoader.load(target.inventory);
    TemplateEngine templates = new TemplateEngine();
    Plan plan =
        new Planner(templates)
            .plan(
                pb,
                inv,
                all,
                Optional.ofNullable(target.limit),
                "(validate)",
                Optional.empty(),
                selection.options(Set.of()));
    Wiring.checkConnectionInputs(plan);
    Wiring.checkArtifactInputs(plan, templates);
    long hosts = plan.hosts().count();
    System.out.printf(
        "%s is valid for %s: %d stage(s), %d host(s), %d step(s) per host%n",
        playbook, target.inventory, plan.stages().size(), hosts, pb.steps().size());
    return 0;
  }
}
