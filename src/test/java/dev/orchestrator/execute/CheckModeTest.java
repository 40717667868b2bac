package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.PlanOptions;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.RoutingConnector;
import dev.orchestrator.transport.local.LocalConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The magic variable {@code check_mode} (as Ansible's {@code ansible_check_mode}): {@code true}
 * when a command runs as a {@code plan --check} probe, {@code false} in a real run; a step that
 * changes the host declares {@code check: true} and stops before the change when it is {@code
 * true}.
 */
class CheckModeTest {
  /** The home folder of the local hosts (their leases live there), one per test. */
  private static java.nio.file.Path localHome;

  @TempDir Path dir;

  @BeforeEach
  void localHome(@TempDir Path home) {
    localHome = home;
  }

  private final TemplateEngine templates = new TemplateEngine();

  private Plan plan(Path work) throws Exception {
    Files.createDirectories(work);
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    local1:\n      connection: local\n  vars:\n    w: " + work + "\n");
    // a step that changes the host, probed read-only: it stops before the change in check mode
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        steps:
          - id: change
            check: true
            register: change
            shell: |
              if [ "{{ check_mode }}" = true ]; then echo "would write {{ w }}/changed"; exit 0; fi
              echo {{ check_mode | quote }} > {{ w }}/changed
              echo "wrote it"
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    Inventory inv = InventoryLoader.load(dir.resolve("inv.yml"));
    return new Planner(templates).plan(PlanInputs.of(pb, inv).runId("r").build());
  }

  private static RoutingConnector local() {
    return new RoutingConnector(
        (h, s) -> {
          throw new AssertionError("no ssh here");
        },
        new LocalConnector(localHome));
  }

  @Test
  void aRealRunSeesCheckModeFalse() throws Exception {
    // given a plan with a step that writes check_mode's value when it is not a probe
    Path work = dir.resolve("work");
    Plan plan = plan(work);
    assertEquals(false, plan.hosts().findFirst().orElseThrow().vars().get("check_mode"));
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("t");
    RunResult result;
    // when it runs
    try (RunJournal journal =
        store.create(
            id,
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false))) {
      result =
          new RunExecutor(
                  local(),
                  e -> {},
                  templates,
                  TestEngineSettings.defaults(1, RunExecutor.NextCommands.same("resume " + id)))
              .execute(plan, journal, false);
    }
    // then the command saw check_mode false and made its change
    assertEquals(RunStatus.SUCCEEDED, result.status());
    RunState state = store.load(id);
    assertEquals(StepStatus.SUCCEEDED, state.checkpoint("local1", "change").orElseThrow().status());
    assertEquals("false\n", Files.readString(work.resolve("changed")));
  }

  @Test
  void aProbeSeesCheckModeTrueAndChangesNothing() throws Exception {
    // given the same plan
    Path work = dir.resolve("work");
    Plan plan = plan(work);
    // when plan --check probes it
    Map<String, String> unreachable = new HashMap<>();
    Map<String, PlanOptions.HostProbes> probes =
        new Prober(local(), templates, 1).probe(plan, unreachable);
    // then the command saw check_mode true, stopped before the change, and its output stands in
    // for the registered value
    assertTrue(unreachable.isEmpty(), unreachable.toString());
    PlanOptions.HostProbes p = probes.get("local1");
    assertTrue(p.failed().isEmpty(), p.failed().toString());
    assertEquals(
        "would write " + work + "/changed",
        String.valueOf(p.registered().get("change").get("stdout")).strip());
    assertFalse(Files.exists(work.resolve("changed")), "a probe changes nothing");
  }
}
