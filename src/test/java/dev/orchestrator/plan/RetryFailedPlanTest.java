package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.HostRecord;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.state.TestCheckpoints;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --retry-failed} is part of the plan: the hosts it holds back are the plan's. */
class RetryFailedPlanTest {
  @TempDir Path dir;
  private Inventory inventory;
  private Playbook playbook;
  private final Planner planner = new Planner(new TemplateEngine());

  @BeforeEach
  void files() throws IOException {
    Files.writeString(
        dir.resolve("inv.yml"),
        """
        all:
          children:
            qa: {hosts: {q1: , q2: }}
            production: {hosts: {p1: , p2: , p3: }}
        """);
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        stages:
          - {name: qa, hosts: qa, serial: 1}
          - {name: production, hosts: production, serial: 1}
        steps:
          - {id: a, shell: "echo a"}
          - {id: b, shell: "echo b"}
        """);
    playbook = new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  /** q1: a done, b failed; q2 done; p1 unreachable; p2 interrupted at a; p3 not started. */
  private static RunState state() {
    Instant t = Instant.now();
    RunInfo info =
        new RunInfo(
            "r1",
            "pb",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false),
            RunStatus.PAUSED,
            "",
            t,
            t,
            1);
    return new RunState(
        info,
        Map.of(
            "q1",
            Map.of(
                "a", checkpoint("q1", "a", StepStatus.SUCCEEDED, t),
                "b", checkpoint("q1", "b", StepStatus.FAILED, t)),
            "q2",
            Map.of(
                "a", checkpoint("q2", "a", StepStatus.SUCCEEDED, t),
                "b", checkpoint("q2", "b", StepStatus.SUCCEEDED, t)),
            "p2",
            Map.of("a", checkpoint("p2", "a", StepStatus.RUNNING, t))),
        Map.of(
            "p1",
            new HostRecord(
                "p1", dev.orchestrator.state.HostState.UNREACHABLE, "cannot connect to p1", t)),
        Map.of(),
        Map.of(),
        0);
  }

  private static Checkpoint checkpoint(String host, String step, StepStatus status, Instant t) {
    return TestCheckpoints.of(
        host,
        step,
        status,
        1,
        t,
        status == StepStatus.RUNNING ? null : t,
        status == StepStatus.RUNNING ? null : 0,
        "",
        Map.of(),
        "");
  }

  private Plan plan(PlanOptions options) {
    return planner.plan(PlanInputs.of(playbook, inventory).state(state()).options(options).build());
  }

  @Test
  void retryFailedHoldsBackTheHostsWithWorkThatDidNotFail() {
    // given a run where q1 failed, p1 was unreachable and p2 was interrupted
    // when it is planned with --retry-failed
    Plan plan = plan(PlanOptions.DEFAULT.withScope(PlanOptions.Scope.FAILED_HOSTS_ONLY));
    // then only p3 (work to do, never failed) is held back; q2 is done, so not held back
    assertEquals(Set.of("p3"), plan.heldBack());
    PlannedHost p3 = plan.hosts().filter(h -> h.host().name().equals("p3")).findFirst().get();
    PlannedHost q1 = plan.hosts().filter(h -> h.host().name().equals("q1")).findFirst().get();
    assertTrue(plan.heldBack(p3));
    assertFalse(plan.worksOn(p3));
    assertTrue(plan.worksOn(q1));
  }

  @Test
  void withoutRetryFailedNoHostIsHeldBack() {
    assertEquals(Set.of(), plan(PlanOptions.DEFAULT).heldBack());
  }

  @Test
  void retryFailedNeedsARun() {
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                planner.plan(
                    PlanInputs.of(playbook, inventory)
                        .options(PlanOptions.DEFAULT.withScope(PlanOptions.Scope.FAILED_HOSTS_ONLY))
                        .build()));
    assertTrue(e.getMessage().contains("--retry-failed"), e.getMessage());
    assertTrue(e.hint().contains("--run RUN_ID --retry-failed"), e.hint());
  }

  @Test
  void aPlanCannotHoldBackAHostWithoutWork() {
    // given a plan where q2 is done
    Plan plan = plan(PlanOptions.DEFAULT);
    // when q2 is held back, then the plan refuses: only hosts with work wait
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Plan(plan.playbook(), plan.runId(), plan.stages(), plan.hostOrder(), Set.of("q2")));
  }
}
