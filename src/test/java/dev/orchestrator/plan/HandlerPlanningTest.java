package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunInfo;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where handlers run and what the plan predicts of each run (README "Handlers"). */
class HandlerPlanningTest {
  @TempDir Path dir;
  private Inventory inventory;
  private final Planner planner = new Planner(new TemplateEngine());

  private static final String PLAYBOOK =
      """
      steps:
        - {id: a, shell: "echo a", notify: restart web}
        - {id: b, shell: "echo b", notify: [reload, restart web], tags: [x], changed_when: "inventory_hostname == 'h1'"}
        - meta: flush_handlers
          id: mid
        - {id: c, shell: "echo c", notify: web-config}
      handlers:
        - {id: restart, name: restart web, shell: "echo restart", notify: reload}
        - {id: reload, shell: "echo reload", listen: web-config}
      """;

  @BeforeEach
  void inventory() throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all: {hosts: {h1: }}\n");
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
  }

  private Playbook playbook() throws IOException {
    Files.writeString(dir.resolve("pb.yml"), PLAYBOOK);
    return new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  private PlannedHost host(Plan plan) {
    return plan.stages().get(0).batches().get(0).hosts().get(0);
  }

  private static Map<String, String> predictions(PlannedHost host) {
    Map<String, String> out = new LinkedHashMap<>();
    host.steps().forEach(s -> out.put(s.step().id(), s.prediction().name()));
    return out;
  }

  @Test
  void handlersRunAtEachFlushPointInDefinitionOrderIfNotified() throws IOException {
    // given a fresh run
    Plan plan = planner.plan(PlanInputs.of(playbook(), inventory).build());
    // then each handler has a run at the flush step and one at the end, in definition order, and
    // whether they happen depends on the steps that notify them
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("a", "RUN");
    expected.put("b", "RUN");
    expected.put("restart.mid", "RUN"); // a shell step without changed_when changes the host
    expected.put("reload.mid", "RUN"); // a chain: restart notifies reload, defined after it
    expected.put("c", "RUN");
    expected.put("restart", "SKIP"); // nothing after the flush notifies it
    expected.put("reload", "RUN"); // c notifies its listen topic
    assertEquals(expected, predictions(host(plan)));
    assertEquals(
        "notified by a (a shell step changes the host)", host(plan).steps().get(2).reason());
  }

  @Test
  void aCheckpointThatSaysChangedKeepsTheNotificationOverAPause() throws IOException {
    // given a changed, then b failed: the host paused before the flush point
    RunState state =
        state(
            checkpoint("a", StepStatus.SUCCEEDED, true), checkpoint("b", StepStatus.FAILED, false));
    // when the resume is planned
    PlannedHost h = host(planner.plan(PlanInputs.of(playbook(), inventory).state(state).build()));
    // then restart is notified by a's checkpoint
    assertEquals("RETRY", predictions(h).get("b"));
    assertEquals("RUN", predictions(h).get("restart.mid"));
    assertEquals("notified by a", h.steps().get(2).reason());
  }

  @Test
  void aStepThatDidNotChangeTheHostNotifiesNothing() throws IOException {
    // given a and b succeeded without changing the host (changed_when false)
    RunState state =
        state(
            checkpoint("a", StepStatus.SUCCEEDED, false),
            checkpoint("b", StepStatus.SUCCEEDED, false));
    PlannedHost h = host(planner.plan(PlanInputs.of(playbook(), inventory).state(state).build()));
    // then neither handler runs at the flush step
    assertEquals("SKIP", predictions(h).get("restart.mid"));
    assertEquals("SKIP", predictions(h).get("reload.mid"));
  }

  @Test
  void aHandlerRunWithItsOwnCheckpointIsNotRunAgain() throws IOException {
    // given restart ran at the flush step (notified twice, by a and b)
    RunState state =
        state(
            checkpoint("a", StepStatus.SUCCEEDED, true),
            checkpoint("b", StepStatus.SUCCEEDED, true),
            checkpoint("restart.mid", StepStatus.SUCCEEDED, false));
    PlannedHost h = host(planner.plan(PlanInputs.of(playbook(), inventory).state(state).build()));
    // then it is done, once; reload is notified by b
    assertEquals("DONE", predictions(h).get("restart.mid"));
    assertEquals("RUN", predictions(h).get("reload.mid"));
    assertEquals("notified by b", h.steps().get(3).reason());
  }

  @Test
  void tagsSelectTheNotifyingStepsNotTheHandlers() throws IOException {
    // given --tags x: only b is selected
    Plan plan =
        planner.plan(
            PlanInputs.of(playbook(), inventory)
                .options(
                    new PlanOptions(List.of("x"), List.of(), false, java.util.Set.of(), Map.of()))
                .build());
    Map<String, String> p = predictions(host(plan));
    // then the handlers b notifies may run (as in Ansible, handlers have no tags), if its
    // changed_when says it changed the host; the one only c notifies does not
    assertEquals("NOT_SELECTED", p.get("a"));
    assertEquals("DECIDED_AT_RUN_TIME", p.get("restart.mid"));
    assertEquals("DECIDED_AT_RUN_TIME", p.get("reload.mid"));
    assertEquals(
        "if notified: runs when b, restart.mid changes the host",
        host(plan).steps().get(3).reason());
    assertEquals("SKIP", p.get("reload"));
  }

  private static Checkpoint checkpoint(String step, StepStatus status, boolean changed) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new Checkpoint("h1", step, status, 1, t, t, 0, "", Map.of(), "", "", changed);
  }

  private static RunState state(Checkpoint... checkpoints) {
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
    Map<String, Checkpoint> byStep = new LinkedHashMap<>();
    for (Checkpoint c : checkpoints) {
      byStep.put(c.stepId(), c);
    }
    return new RunState(info, Map.of("h1", byStep), Map.of(), Map.of(), Map.of(), 0);
  }

  @Test
  void aFileStepNotifiesIfItsFileChangesAndAModuleNeverNotifies() throws IOException {
    // given a copy: step and a debug: step, each notifying its handler
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        steps:
          - {id: conf, copy: {content: "x", dest: /tmp/x}, notify: restart}
          - {id: say, debug: {msg: hi}, notify: reload}
        handlers:
          - {id: restart, shell: "echo restart"}
          - {id: reload, shell: "echo reload"}
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    // when a fresh run is planned
    Map<String, String> p = predictions(host(planner.plan(PlanInputs.of(pb, inventory).build())));
    // then whether the copy changes its file is found out by the run (run?), and a debug step
    // changes nothing, so its handler is not notified (found in a merged run: a copy that changed
    // nothing still ran its handler)
    assertEquals("DECIDED_AT_RUN_TIME", p.get("restart"));
    assertEquals("SKIP", p.get("reload"));
  }

  @Test
  void aServiceStepNotifiesIfTheUnitChangesWhichTheRunFindsOut() throws IOException {
    // given a systemd: step and a service: step, each notifying its handler
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        steps:
          - {id: unit, systemd: {name: app, state: started}, notify: restart}
          - {id: svc, service: {name: web, enabled: true}, notify: reload}
        handlers:
          - {id: restart, shell: "echo restart"}
          - {id: reload, shell: "echo reload"}
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    // when a fresh run is planned
    Map<String, String> p = predictions(host(planner.plan(PlanInputs.of(pb, inventory).build())));
    // then whether each changes its unit (started on a running unit does not) is the run's to say
    assertEquals("DECIDED_AT_RUN_TIME", p.get("restart"));
    assertEquals("DECIDED_AT_RUN_TIME", p.get("reload"));
  }
}
