package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code plan} predicts of the package modules: the module and its arguments as the step's
 * preview, an undefined variable in them an error now, and their result keys ({@code
 * cache_updated}, {@code results}) known to later steps as decided at run time.
 */
class PackagePlanningTest {
  @TempDir Path dir;

  private PlannedHost plan(String text) throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n");
    Files.writeString(dir.resolve("pb.yml"), text);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    Plan plan =
        new Planner(new dev.orchestrator.template.TemplateEngine())
            .plan(PlanInputs.of(pb, InventoryLoader.load(dir.resolve("inv.yml"))).build());
    return plan.stages().get(0).batches().get(0).hosts().get(0);
  }

  @Test
  void aPackageStepRunsWithItsArgumentsAndItsResultKeysAreKnownAtRunTime() throws IOException {
    // given an apt step whose result a later step reads, and a dnf step
    PlannedHost h1 =
        plan(
            """
            vars: {web: nginx}
            steps:
              - id: web
                apt: {name: "{{ web }}", update_cache: true}
                register: w
              - id: fresh
                shell: echo fresh
                when: w.cache_updated and w.changed
              - id: httpd
                dnf: {name: httpd}
                register: d
              - id: report
                shell: echo "{{ d.results | length }}"
            """);
    // then the package steps run, previewed as the module and arguments; what reads their
    // results is decided at run time
    assertEquals(Prediction.RUN, h1.steps().get(0).prediction());
    assertEquals(
        Optional.of("apt {name={{ web }}, update_cache=true}"), h1.steps().get(0).command());
    assertEquals(Prediction.DECIDED_AT_RUN_TIME, h1.steps().get(1).prediction());
    assertEquals(Prediction.RUN, h1.steps().get(2).prediction());
  }

  @Test
  void anUndefinedVariableInAPackageNameIsAnErrorOfThePlan() {
    InputException e =
        assertThrows(
            InputException.class,
            () -> plan("steps:\n  - id: p\n    package: {name: \"{{ nosuch }}\"}\n"));
    assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
  }
}
