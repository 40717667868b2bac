package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * What {@code plan} predicts of {@code include_vars} ({@link IncludeVarsPlanning}): a literal
 * file's vars known to the steps after it, a name that depends on a gathered fact decided at run.
 */
class IncludeVarsPlanningTest {
  @TempDir Path dir;

  private PlannedHost plan(Path playbook) throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n");
    Playbook pb = new PlaybookLoader().load(playbook);
    Plan plan =
        new Planner(new dev.orchestrator.template.TemplateEngine())
            .plan(PlanInputs.of(pb, InventoryLoader.load(dir.resolve("inv.yml"))).build());
    return plan.stages().get(0).batches().get(0).hosts().get(0);
  }

  @Test
  void aLiteralFilesVarsAreKnownToTheStepsAfterIt() throws IOException {
    // given a vars file and a step whose condition reads one of its vars
    Files.writeString(dir.resolve("app.yml"), "port: 8080\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        steps:
          - {id: v, include_vars: app.yml}
          - {id: low, shell: echo low, when: port < 1024}
          - {id: high, shell: "echo {{ port }}"}
        """);
    // when it is planned
    PlannedHost h1 = plan(dir.resolve("pb.yml"));
    // then the include runs, previewed as written, and the later steps are decided now
    assertEquals(Prediction.RUN, h1.steps().get(0).prediction());
    assertEquals(Optional.of("include_vars {file=app.yml}"), h1.steps().get(0).command());
    assertEquals(Prediction.SKIP, h1.steps().get(1).prediction());
    assertEquals(Prediction.RUN, h1.steps().get(2).prediction());
  }

  @Test
  void aFileNamedByAFactIsDecidedAtRun() throws IOException {
    // given geerlingguy's idiom: the OS family's vars file in a role
    Path tasks = Files.createDirectories(dir.resolve("roles/web/tasks"));
    Files.createDirectories(dir.resolve("roles/web/vars"));
    Files.writeString(dir.resolve("roles/web/vars/Debian.yml"), "web_daemon: apache2\n");
    Files.writeString(dir.resolve("roles/web/vars/RedHat.yml"), "web_daemon: httpd\n");
    Files.writeString(
        tasks.resolve("main.yml"),
        """
        - include_vars: "{{ ansible_os_family }}.yml"
        - name: restart
          ansible.builtin.command: "systemctl restart {{ web_daemon }}"
          when: web_daemon == 'httpd'
        """);
    Files.writeString(dir.resolve("site.yml"), "- hosts: all\n  roles: [web]\n");
    // when it is planned (facts are gathered by the run)
    PlannedHost h1 = plan(dir.resolve("site.yml"));
    // then the preview says the file is decided at run, and so is what reads its vars
    PlannedStep include =
        h1.steps().stream()
            .filter(
                s ->
                    s.step()
                        .extras()
                        .module()
                        .map(m -> m.name().equals("include_vars"))
                        .orElse(false))
            .findFirst()
            .orElseThrow();
    assertEquals(
        Optional.of("include_vars {{ ansible_os_family }}.yml (the file is decided at run)"),
        include.command());
    assertEquals(
        Prediction.DECIDED_AT_RUN_TIME, h1.steps().get(h1.steps().size() - 1).prediction());
  }
}
