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
 * What {@code plan} predicts of {@code script} and {@code unarchive}: the module and its arguments
 * as written (not what the loader added: the file's path and digest), an undefined variable in them
 * an error now, their result keys ({@code rc}, {@code handler}) known to later steps at run time.
 */
class ArchivePlanningTest {
  @TempDir Path dir;

  private PlannedHost plan(String text) throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n");
    Files.writeString(dir.resolve("pb.yml"), text);
    Files.writeString(dir.resolve("go.sh"), "echo go\n");
    Files.writeString(dir.resolve("app.tgz"), "x");
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    Plan plan =
        new Planner(new dev.orchestrator.template.TemplateEngine())
            .plan(PlanInputs.of(pb, InventoryLoader.load(dir.resolve("inv.yml"))).build());
    return plan.stages().get(0).batches().get(0).hosts().get(0);
  }

  @Test
  void scriptAndUnarchiveRunPreviewedAsWrittenAndTheirResultsAreKnownAtRunTime()
      throws IOException {
    // given a script and an unarchive step whose results later steps read
    PlannedHost h1 =
        plan(
            """
            vars: {to: /srv}
            steps:
              - id: go
                script: "go.sh {{ to }}"
                register: g
              - id: after-go
                shell: echo ran
                when: g.rc == 0
              - id: unpack
                unarchive: {src: app.tgz, dest: "{{ to }}"}
                register: u
              - id: after-unpack
                shell: echo "{{ u.handler }}"
            """);
    // then both run, previewed as the module and its arguments, what reads them at run time
    assertEquals(Prediction.RUN, h1.steps().get(0).prediction());
    assertEquals(Optional.of("script {cmd=go.sh {{ to }}}"), h1.steps().get(0).command());
    assertEquals(Prediction.DECIDED_AT_RUN_TIME, h1.steps().get(1).prediction());
    assertEquals(
        Optional.of("unarchive {src=app.tgz, dest={{ to }}, remote_src=false}"),
        h1.steps().get(2).command());
    assertEquals(Prediction.DECIDED_AT_RUN_TIME, h1.steps().get(3).prediction());
  }

  @Test
  void anUndefinedVariableInAnUnarchiveDestIsAnErrorOfThePlan() {
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                plan(
                    "steps:\n  - id: u\n    unarchive: {src: /a.tgz, dest: \"{{ nosuch }}\","
                        + " remote_src: true}\n"));
    assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
  }
}
