package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.Checkpoint;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaysPlanningTest {
  @TempDir Path dir;
  private Inventory inventory;
  private final Planner planner = new Planner(new TemplateEngine());

  /** A fact-only play, a play that registers, a play that reads it and another host's facts. */
  private static final String PLAYS =
      """
      - hosts: db
        tasks: []
      - name: Web
        hosts: web
        serial: 1
        gather_facts: false
        tasks:
          - name: Read version
            shell: cat version
            register: version
      - name: All
        hosts: all
        gather_facts: false
        tasks:
          - name: Use them
            shell: "echo {{ version.stdout | default('none') }} {{ hostvars['d1'].ansible_hostname }}"
      """;

  @BeforeEach
  void inventory() throws IOException {
    Files.writeString(dir.resolve("inv.ini"), "[web]\nw1\nw2\n[db]\nd1\n");
    inventory = InventoryLoader.load(dir.resolve("inv.ini"));
  }

  private Playbook playbook(String text) throws IOException {
    Files.writeString(dir.resolve("site.yml"), text);
    return new PlaybookLoader().load(dir.resolve("site.yml"));
  }

  private static List<String> hosts(PlannedStage stage) {
    return stage.batches().stream()
        .flatMap(b -> b.hosts().stream())
        .map(h -> h.host().name())
        .toList();
  }

  @Test
  void eachPlayIsAStageWithItsOwnBatchesAndAHostIsPlannedInEveryPlayThatSelectsIt()
      throws IOException {
    // when: the three plays are planned
    Plan plan = planner.plan(PlanInputs.of(playbook(PLAYS), inventory).build());

    // then: one stage per play, each with its hosts and its own serial
    assertEquals(3, plan.stages().size());
    assertEquals(List.of("d1"), hosts(plan.stages().get(0)));
    assertEquals(List.of("w1", "w2"), hosts(plan.stages().get(1)));
    assertEquals(2, plan.stages().get(1).batches().size(), "serial: 1");
    assertEquals(List.of("w1", "w2", "d1"), hosts(plan.stages().get(2)));
    assertEquals(1, plan.stages().get(2).batches().size());
    // and: each host's steps are its play's, and the run lists each host once
    PlannedHost w1Last = plan.stages().get(2).batches().get(0).hosts().get(0);
    assertEquals(List.of("all.use-them"), w1Last.steps().stream().map(s -> s.step().id()).toList());
    assertEquals(List.of("w1", "w2", "d1"), plan.hostOrder());
    // and: a value registered in an earlier play is known at run time only, not left in the vars
    assertFalse(w1Last.vars().containsKey("version"));
    assertEquals(Prediction.DECIDED_AT_RUN_TIME, w1Last.steps().get(0).prediction());
  }

  @Test
  void aResumeSeesWhatAnEarlierPlayRecordedAndPlansOnlyTheHostThatPaused() throws IOException {
    // given: w1 finished every play; w2 failed reading its version in play 2
    Map<String, Map<String, Checkpoint>> cps = new LinkedHashMap<>();
    cps.put(
        "w1",
        Map.of(
            "web.read-version", cp("w1", "web.read-version", StepStatus.SUCCEEDED, "1.2"),
            "all.use-them", cp("w1", "all.use-them", StepStatus.SUCCEEDED, "")));
    cps.put("w2", Map.of("web.read-version", cp("w2", "web.read-version", StepStatus.FAILED, "")));
    cps.put(
        "d1",
        Map.of(
            "play-1.gather-facts", cp("d1", "play-1.gather-facts", StepStatus.SUCCEEDED, ""),
            "all.use-them", cp("d1", "all.use-them", StepStatus.SUCCEEDED, "")));

    // when: the resume is planned
    Plan plan = planner.plan(PlanInputs.of(playbook(PLAYS), inventory).state(state(cps)).build());

    // then: w2 works in play 2 and then play 3; nothing else has work
    List<String> withWork =
        plan.stages().stream()
            .map(s -> plan.stages().indexOf(s) + ":" + String.join(",", hostsWithWork(s)))
            .toList();
    assertEquals(List.of("0:", "1:w2", "2:w2"), withWork);
    // and: w1's play-3 step is planned with the version play 2 recorded
    PlannedHost w1Last = plan.stages().get(2).batches().get(0).hosts().get(0);
    assertTrue(String.valueOf(w1Last.vars().get("version")).contains("1.2"));
  }

  @Test
  void aLimitThatLeavesOnePlayNoHostPlansTheOthers() throws IOException {
    Plan plan = planner.plan(PlanInputs.of(playbook(PLAYS), inventory).limit("d1").build());

    assertEquals(List.of("d1"), hosts(plan.stages().get(0)));
    assertEquals(List.of(), hosts(plan.stages().get(1)));
    assertEquals(List.of("d1"), hosts(plan.stages().get(2)));
  }

  private static List<String> hostsWithWork(PlannedStage stage) {
    return stage.batches().stream()
        .flatMap(b -> b.hosts().stream())
        .filter(PlannedHost::needsWork)
        .map(h -> h.host().name())
        .toList();
  }

  private static RunState state(Map<String, Map<String, Checkpoint>> checkpoints) {
    Instant t = Instant.now();
    RunInfo info =
        new RunInfo(
            "r1",
            "site",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false),
            RunStatus.PAUSED,
            "",
            t,
            t,
            1);
    return new RunState(info, checkpoints, Map.of(), Map.of(), Map.of(), 0);
  }

  private static Checkpoint cp(String host, String step, StepStatus status, String stdout) {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    return TestCheckpoints.of(
        host,
        step,
        status,
        1,
        t,
        t,
        status == StepStatus.FAILED ? 1 : 0,
        status == StepStatus.FAILED ? "exit code 1" : "",
        Map.of("stdout", stdout, "rc", 0, "changed", true),
        "");
  }
}
