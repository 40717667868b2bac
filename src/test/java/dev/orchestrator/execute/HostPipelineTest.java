package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.report.Event;
import dev.orchestrator.report.StepOutcome;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step policies end to end on the local connection: when, creates, retries, timeout, env. */
class HostPipelineTest {
  /** The home folder of the local hosts (their leases live there), one per test. */
  private java.nio.file.Path localHome;

  /** connection: local works in the user's home; give each test its own (leases live there). */
  @org.junit.jupiter.api.BeforeEach
  void localHome(@TempDir Path home) {
    localHome = home;
  }

  @TempDir Path dir;

  @Test
  void stepPoliciesAreAppliedAndCheckpointed() throws Exception {
    // given
    Path work = dir.resolve("work");
    Files.createDirectories(work);
    Files.writeString(work.resolve("exists"), "");
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    local1:\n      connection: local\n  vars:\n    w: " + work + "\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        steps:
          - id: flaky
            shell: cd {{ w }} && echo x >> tries && test $(wc -l < tries) -ge 2
            retries: 2
            delay: 0
            register: flaky
          - id: conditional
            when: flaky.rc != 0
            shell: touch {{ w }}/should-not-exist
          - id: guarded
            creates: "{{ w }}/exists"
            shell: touch {{ w }}/should-not-exist-either
          - id: env
            environment: {GREETING: "hello {{ inventory_hostname }}"}
            shell: echo "$GREETING" > {{ w }}/env.txt
          - id: slow
            timeout: 1
            shell: sleep 10
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    Inventory inv = InventoryLoader.load(dir.resolve("inv.yml"));
    TemplateEngine templates = new TemplateEngine();
    Plan plan = new Planner(templates).plan(PlanInputs.of(pb, inv).runId("r").build());
    RunStore store = new RunStore(dir.resolve("state"));
    List<Event> events = new CopyOnWriteArrayList<>();
    RunResult result;
    String id = RunStore.newRunId("t");
    // when
    try (RunJournal journal =
        store.create(
            id,
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false))) {
      result =
          new RunExecutor(
                  new RoutingConnector(
                      (h, s) -> {
                        throw new AssertionError("no ssh here");
                      },
                      new LocalConnector(localHome)),
                  events::add,
                  templates,
                  TestEngineSettings.defaults(2, RunExecutor.NextCommands.same("resume " + id)))
              .execute(plan, journal, false);
    }
    // then
    RunState state = store.load(id);
    assertEquals(RunStatus.PAUSED, result.status());
    assertEquals(List.of("local1: paused at step slow"), result.pausedHosts());
    assertEquals(StepStatus.SUCCEEDED, state.checkpoint("local1", "flaky").orElseThrow().status());
    assertEquals(
        2,
        state.checkpoint("local1", "flaky").orElseThrow().attempt(),
        "failed once, succeeded on the retry");
    assertEquals(2, Files.readAllLines(work.resolve("tries")).size());
    assertEquals(
        StepStatus.SKIPPED, state.checkpoint("local1", "conditional").orElseThrow().status());
    assertEquals(StepStatus.SKIPPED, state.checkpoint("local1", "guarded").orElseThrow().status());
    assertFalse(Files.exists(work.resolve("should-not-exist")));
    assertFalse(Files.exists(work.resolve("should-not-exist-either")));
    assertEquals("hello local1", Files.readString(work.resolve("env.txt")).trim());
    var slow = state.checkpoint("local1", "slow").orElseThrow();
    assertEquals(StepStatus.FAILED, slow.status());
    assertEquals("timed out after 1s", slow.message());
    assertTrue(Files.exists(store.root().resolve("runs").resolve(id).resolve(slow.logFile())));
    assertTrue(
        events.stream()
            .anyMatch(
                e -> e instanceof Event.StepFinished f && f.status() == StepOutcome.RETRYING));
    assertTrue(
        events.get(events.size() - 1) instanceof Event.RunFinished f
            && f.nextCommand().equals("resume " + id));
  }
}
