package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.local.LocalConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run_once on local hosts: one host of the batch runs the step, the others record its result under
 * their own checkpoint; a failure there pauses the others naming it; a controller stopped during
 * the step resumes it on the same host, once.
 */
class OnceStepsTest {
  @TempDir Path dir;
  @TempDir Path localHome;

  private final TemplateEngine templates = new TemplateEngine();

  private RunResult execute(RunStore store, String id, Plan plan, boolean resumed)
      throws java.io.IOException {
    try (RunJournal journal =
        resumed
            ? store.open(id)
            : store.create(
                id,
                "t",
                TestRunSpecs.of(
                    "p", "i", Map.of(), List.of(), Optional.empty(), 3, Optional.empty(), false))) {
      return new RunExecutor(
              new LocalConnector(localHome),
              e -> {},
              templates,
              TestEngineSettings.defaults(3, RunExecutor.NextCommands.same("resume " + id)))
          .execute(plan, journal, resumed);
    }
  }

  private Playbook playbook(String onceStep) throws java.io.IOException {
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    t1: {connection: local}\n    t2: {connection: local}\n"
            + "    t3: {connection: local}\n    lb: {connection: local}\n  vars:\n    d: "
            + dir
            + "\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        "hosts: t1,t2,t3\nsteps:\n"
            + onceStep
            + "  - id: use\n"
            + "    shell: echo \"{{ inventory_hostname }} {{ v.stdout }} {{ picked }}\" >> {{ d"
            + " }}/used\n");
    return new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  private static final String ONCE =
      """
        - id: migrate
          run_once: true
          delegate_to: lb
          register: v
          shell: test ! -e {{ d }}/fail && echo "migrate {{ inventory_hostname }}" >> {{ d }}/log && echo v42
        - id: pick
          run_once: true
          set_fact: {picked: "{{ inventory_hostname }}"}
      """;

  private Plan plan(Playbook pb, String id, Optional<RunState> state) throws Exception {
    Inventory inv = InventoryLoader.load(dir.resolve("inv.yml"));
    return new Planner(templates).plan(PlanInputs.of(pb, inv).runId(id).state(state).build());
  }

  @Test
  void oneHostOfTheBatchRunsItAndTheOthersTakeItsResult() throws Exception {
    // given three hosts in one batch and a run_once step delegated to lb, then a run_once set_fact
    Playbook pb = playbook(ONCE);
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("t");
    Plan plan = plan(pb, id, Optional.empty());
    // then the plan places both on t1, for every host of the batch
    for (PlannedHost h : plan.stages().get(0).batches().get(0).hosts()) {
      assertEquals(Optional.of("t1"), h.steps().get(0).onceOn(), h.host().name());
      assertEquals(Optional.of("t1"), h.steps().get(1).onceOn(), h.host().name());
    }
    java.io.StringWriter text = new java.io.StringWriter();
    dev.orchestrator.report.PlanRenderer.text(plan, false, new java.io.PrintWriter(text));
    assertTrue(text.toString().contains("run → lb once on t1"), text.toString());
    // when it runs
    RunResult result = execute(store, id, plan, false);
    // then the step ran once, on lb for t1, and every host used its registered value and fact
    assertEquals(RunStatus.SUCCEEDED, result.status());
    assertEquals(List.of("migrate t1"), Files.readAllLines(dir.resolve("log")));
    assertEquals(
        List.of("t1 v42 t1", "t2 v42 t1", "t3 v42 t1"),
        Files.readAllLines(dir.resolve("used")).stream().sorted().toList());
    RunState state = store.load(id);
    Checkpoint own = state.checkpoint("t1", "migrate").orElseThrow();
    assertEquals(1, own.attempt());
    for (String h : List.of("t2", "t3")) {
      Checkpoint copy = state.checkpoint(h, "migrate").orElseThrow();
      assertEquals(StepStatus.SUCCEEDED, copy.status());
      assertEquals(0, copy.attempt(), "it never ran on " + h);
      assertTrue(copy.message().startsWith("ran once on t1"), copy.message());
      assertEquals("v42", copy.registered().get("stdout"));
      assertEquals(Boolean.TRUE, copy.registered().get("changed"), "where it ran");
      assertTrue(!copy.changed(), "it notifies no handler of " + h + " (as Ansible)");
    }
  }

  @Test
  void theOtherHostsTakeASecretResultUnmaskedAndAResumeWithOnlyTheMaskedCopyPauses()
      throws Exception {
    // given hosts sharing a secret, a run_once set_fact and a run_once register derived from it
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    t1: {connection: local}\n    t2: {connection: local}\n"
            + "  vars:\n    db_password: S3cretPW99\n    d: "
            + dir
            + "\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        hosts: t1,t2
        steps:
          - id: url
            run_once: true
            set_fact: {db_url: "postgres://app:{{ db_password }}@db/app"}
          - id: up
            run_once: true
            register: r
            shell: echo url={{ db_password | upper }}
          - id: use
            shell: echo "{{ inventory_hostname }} {{ db_url }} {{ r.stdout }}" >> {{ d }}/used
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("t");
    // when it runs
    RunResult result = execute(store, id, plan(pb, id, Optional.empty()), false);
    // then both hosts used the real values, though the run's state keeps them masked
    assertEquals(RunStatus.SUCCEEDED, result.status());
    assertEquals(
        List.of(
            "t1 postgres://app:S3cretPW99@db/app url=S3CRETPW99",
            "t2 postgres://app:S3cretPW99@db/app url=S3CRETPW99"),
        Files.readAllLines(dir.resolve("used")).stream().sorted().toList());
    assertEquals(
        "url=********",
        store.load(id).checkpoint("t2", "up").orElseThrow().registered().get("stdout"));
    // when a new run finds t1's result only in the masked state (t2 must take it again)
    String id2 = RunStore.newRunId("t");
    try (RunJournal journal =
        store.create(
            id2,
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 3, Optional.empty(), false))) {
      RunState copied = store.load(id);
      for (String step : List.of("url", "up")) {
        journal.record(copied.checkpoint("t1", step).orElseThrow());
      }
    }
    Files.delete(dir.resolve("used"));
    RunResult resumed = execute(store, id2, plan(pb, id2, Optional.of(store.load(id2))), true);
    // then t2 pauses saying the value is a secret and what to do, and never uses the mask
    assertEquals(RunStatus.PAUSED, resumed.status());
    Checkpoint t2 = store.load(id2).checkpoint("t2", "url").orElseThrow();
    assertEquals(StepStatus.FAILED, t2.status());
    assertTrue(t2.message().contains("holds a secret"), t2.message());
    assertTrue(t2.message().contains("--rerun url --host t1"), t2.message());
    assertTrue(
        !Files.exists(dir.resolve("used"))
            || Files.readAllLines(dir.resolve("used")).stream().noneMatch(l -> l.startsWith("t2")),
        "t2 did not go on with the mask");
  }

  @Test
  void aFailureOnTheChosenHostPausesTheOthersAndTheResumeRunsItThereOnce() throws Exception {
    // given the run_once step fails on its host
    Playbook pb = playbook(ONCE);
    Files.writeString(dir.resolve("fail"), "");
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("t");
    // when it runs
    RunResult first = execute(store, id, plan(pb, id, Optional.empty()), false);
    // then t1 pauses at it and the others pause naming t1 and what to do
    assertEquals(RunStatus.PAUSED, first.status());
    assertEquals(3, first.pausedHosts().size(), first.pausedHosts().toString());
    Checkpoint t2 = store.load(id).checkpoint("t2", "migrate").orElseThrow();
    assertEquals(StepStatus.FAILED, t2.status());
    assertTrue(t2.message().contains("failed on t1"), t2.message());
    assertTrue(t2.message().contains("resume"), t2.message());
    // when the cause is fixed and the run resumed
    Files.delete(dir.resolve("fail"));
    RunResult resumed = execute(store, id, plan(pb, id, Optional.of(store.load(id))), true);
    // then it ran once, on t1, and every host took its result
    assertEquals(RunStatus.SUCCEEDED, resumed.status());
    assertEquals(List.of("migrate t1"), Files.readAllLines(dir.resolve("log")));
    assertEquals(3, Files.readAllLines(dir.resolve("used")).size());
  }

  @Test
  void aControllerStoppedDuringTheStepResumesItOnTheSameHostOnce() throws Exception {
    // given a run whose controller stopped while t2 (the host that started it) ran the idempotent
    // run_once step: its checkpoint is RUNNING, no other host has one
    Playbook pb =
        playbook(
            """
              - id: migrate
                run_once: true
                idempotent: true
                register: v
                shell: echo "migrate {{ inventory_hostname }}" >> {{ d }}/log && echo v42
              - id: pick
                set_fact: {picked: "-"}
            """);
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("t");
    try (RunJournal journal =
        store.create(
            id,
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 3, Optional.empty(), false))) {
      journal.record(
          new Checkpoint(
              "t2",
              "migrate",
              StepStatus.RUNNING,
              1,
              Instant.now(),
              null,
              null,
              "",
              Map.of(),
              "",
              pb.steps().get(0).definitionHash()));
    }
    // when the plan is made and the run resumed
    Plan plan = plan(pb, id, Optional.of(store.load(id)));
    assertEquals(
        Optional.of("t2"),
        plan.stages().get(0).batches().get(0).hosts().get(0).steps().get(0).onceOn());
    RunResult resumed = execute(store, id, plan, true);
    // then t2 ran it again, the only host to run it; t1 and t3 took its result
    assertEquals(RunStatus.SUCCEEDED, resumed.status());
    assertEquals(List.of("migrate t2"), Files.readAllLines(dir.resolve("log")));
    RunState state = store.load(id);
    assertTrue(
        state.checkpoint("t1", "migrate").orElseThrow().message().startsWith("ran once on t2"));
    assertEquals(2, state.checkpoint("t2", "migrate").orElseThrow().attempt());
  }
}
