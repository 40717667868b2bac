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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
  @TempDir Path dir;
  private Inventory inventory;
  private final Planner planner = new Planner(new TemplateEngine());

  @BeforeEach
  void inventory() throws IOException {
    Files.writeString(
        dir.resolve("inv.yml"),
        """
        all:
          vars: {root: /srv}
          children:
            qa: {hosts: {q1: , q2: }}
            production: {hosts: {p1: , p2: , p3: , p4: , q1: }}
        """);
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
  }

  private Playbook playbook(String steps) throws IOException {
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        stages:
          - {name: qa, hosts: qa, serial: 1}
          - {name: production, hosts: production, serial: [1, "50%"]}
        steps:
        """
            + steps);
    return new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  private static final String STEPS =
      """
        - {id: a, shell: "echo {{ root }}", register: out}
        - {id: b, shell: "echo {{ out.stdout }}"}
        - {id: c, shell: "echo c", when: "root == '/other'"}
        - {id: d, shell: "echo d", creates: "{{ root }}/done"}
      """;

  @Test
  void stagesBatchesAndFirstStageOwnsAHost() throws IOException {
    Plan plan = planner.plan(PlanInputs.of(playbook(STEPS), inventory).build());
    assertEquals(List.of(List.of("q1"), List.of("q2")), batches(plan.stages().get(0)));
    // q1 is also in production but runs only in the first stage that selects it
    assertEquals(
        List.of(List.of("p1"), List.of("p2", "p3"), List.of("p4")), batches(plan.stages().get(1)));
  }

  @Test
  void oneHostIsPlannedAsTheWholePlanPlansIt() throws IOException {
    // given the whole plan, with a limit that leaves p4 out
    Playbook pb = playbook(STEPS);
    Optional<String> limit = Optional.of("all:!p4");
    Plan plan =
        planner.plan(PlanInputs.of(pb, inventory).vars(Map.of("x", 1)).limit(limit).build());
    // then each host planned alone equals the whole plan's (q1 in its first stage, qa)
    for (PlannedHost h : plan.hosts().toList()) {
      assertEquals(
          Optional.of(h),
          planner.planHost(
              PlanInputs.of(pb, inventory).vars(Map.of("x", 1)).limit(limit).build(),
              h.host().name()),
          h.host().name());
    }
    // and a host outside the limit, or in no stage, has no plan
    assertEquals(
        Optional.empty(),
        planner.planHost(PlanInputs.of(pb, inventory).limit(limit).build(), "p4"));
    assertEquals(
        Optional.empty(), planner.planHost(PlanInputs.of(pb, inventory).build(), "nowhere"));
  }

  @Test
  void predictsFromConditionsAndRegisteredValues() throws IOException {
    Plan plan = planner.plan(PlanInputs.of(playbook(STEPS), inventory).build());
    List<PlannedStep> steps = plan.stages().get(0).batches().get(0).hosts().get(0).steps();
    assertEquals(Prediction.RUN, steps.get(0).prediction());
    assertEquals(Optional.of("echo /srv"), steps.get(0).command());
    assertEquals(
        Prediction.DECIDED_AT_RUN_TIME, steps.get(1).prediction(), "depends on a registered value");
    assertEquals(Prediction.SKIP, steps.get(2).prediction());
    assertEquals(Prediction.DECIDED_AT_RUN_TIME, steps.get(3).prediction());
    assertTrue(steps.get(3).reason().contains("/srv/done"));
  }

  @Test
  void checkpointsMarkDoneFailedAndInterruptedSteps() throws IOException {
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
    RunState state =
        new RunState(
            info,
            Map.of(
                "q1",
                    Map.of(
                        "a",
                            TestCheckpoints.of(
                                "q1",
                                "a",
                                StepStatus.SUCCEEDED,
                                1,
                                t,
                                t,
                                0,
                                "",
                                Map.of("stdout", "hello"),
                                ""),
                        "b",
                            TestCheckpoints.of(
                                "q1",
                                "b",
                                StepStatus.FAILED,
                                2,
                                t,
                                t,
                                3,
                                "exit code 3",
                                Map.of(),
                                "")),
                "q2",
                    Map.of(
                        "a",
                        TestCheckpoints.of(
                            "q2", "a", StepStatus.RUNNING, 1, t, null, null, "", Map.of(), ""))),
            Map.of(),
            Map.of(),
            Map.of(),
            0);
    Plan plan = planner.plan(PlanInputs.of(playbook(STEPS), inventory).state(state).build());
    PlannedHost q1 = plan.stages().get(0).batches().get(0).hosts().get(0);
    assertEquals(Prediction.DONE, q1.steps().get(0).prediction());
    assertEquals(Prediction.RETRY, q1.steps().get(1).prediction());
    assertEquals(2, q1.steps().get(1).previousAttempts());
    assertEquals(
        Optional.of("echo hello"),
        q1.steps().get(1).command(),
        "registered value restored from the checkpoint");
    PlannedHost q2 = plan.stages().get(0).batches().get(1).hosts().get(0);
    assertEquals(Prediction.IN_DOUBT, q2.steps().get(0).prediction());
  }

  @Test
  void undefinedVariableNamesStepHostAndVariable() throws IOException {
    Playbook pb = playbook("  - {id: a, shell: \"echo {{ nope }}\"}\n");
    InputException e =
        assertThrows(
            InputException.class, () -> planner.plan(PlanInputs.of(pb, inventory).build()));
    assertTrue(
        e.getMessage()
            .contains("pb.yml:5:5: step 'a', shell, on host 'q1': undefined variable 'nope'"),
        e.getMessage());
    assertTrue(e.hint().contains("-e nope=VALUE"), e.hint());
  }

  @Test
  void aHopsErrorMasksTheRunsDeclaredSecrets() throws IOException {
    // given hops whose values template fails on a secret named only by the run (not by its name)
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        hosts: all
        hops: {var: target_version, values: "{{ upgrade_key * 2 }}"}
        steps:
          - {id: a, shell: "echo {{ target_version }}"}
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    Planner withSecrets = new Planner(new TemplateEngine(java.util.Set.of("upgrade_key")));
    // when it is planned
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                withSecrets.plan(
                    PlanInputs.of(pb, inventory)
                        .vars(Map.of("upgrade_key", "k3y-0f-the-upgrade"))
                        .build()));
    // then the error names the hops and the host but not the secret (issue 22)
    assertTrue(e.getMessage().contains("hops.values on host"), e.getMessage());
    assertFalse(e.getMessage().contains("k3y-0f-the-upgrade"), e.getMessage());
  }

  @Test
  void aCommandThatRendersEmptyIsRefusedWithItsPlaceAndHost() throws IOException {
    // given a step whose command is only a variable that is empty for the hosts
    Playbook pb = playbook("  - {id: a, shell: \"{{ cmd }} \"}\n");

    // when it is planned (as validate, plan and run do)
    InputException e =
        assertThrows(
            InputException.class,
            () -> planner.plan(PlanInputs.of(pb, inventory).vars(Map.of("cmd", "")).build()));

    // then it is refused at the step, for the host, rather than planned as a step that runs nothing
    assertTrue(
        e.getMessage()
            .contains("pb.yml:5:5: step 'a', shell, on host 'q1': the command renders empty"),
        e.getMessage());
  }

  @Test
  void aTemplateOverItsBoundsIsRefusedAtItsPlace() {
    // given a 150-byte step of three nested loops of 1000 (a billion iterations)
    String step =
        "  - {id: a, shell: \"echo {% for a in range(1000) %}{% for b in range(1000) %}"
            + "{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}\"}\n";

    // when the playbook is loaded (validate, plan and run do), then it is refused at the step
    InputException e = assertThrows(InputException.class, () -> playbook(step));
    assertTrue(e.getMessage().contains("pb.yml:5:"), e.getMessage());
    assertTrue(e.getMessage().contains("loops more than 1000000 times"), e.getMessage());
    assertTrue(e.hint().contains("Input limits"), e.hint());
  }

  @Test
  void templatesKnowTheShapeOfARegisteredResult() throws IOException {
    // given a step that registers r and later steps that use its fields
    String first = "  - {id: a, shell: \"echo 7\", register: r}\n";

    // when planned, then the fields Ansible's results have are known (decided at run time)
    Plan plan =
        planner.plan(
            PlanInputs.of(
                    playbook(
                        first
                            + "  - {id: b, shell: \"echo {{ r.changed }} {{ r.stderr_lines | length }}\"}\n"
                            + "  - {id: c, shell: \"echo c\", when: \"r is defined and r.stdout == '7'\"}\n"),
                    inventory)
                .build());
    List<PlannedStep> steps = plan.stages().get(0).batches().get(0).hosts().get(0).steps();
    assertEquals(Prediction.DECIDED_AT_RUN_TIME, steps.get(1).prediction(), steps.get(1).reason());
    assertEquals(
        Prediction.DECIDED_AT_RUN_TIME,
        steps.get(2).prediction(),
        "r is defined after its step, as in Ansible; its stdout is known when it runs");

    // and a field it does not have, or a method its value does not have, is refused at its place
    for (String use : List.of("{{ r.stdot }}", "{{ r.stdout.finds('y') }}")) {
      Playbook pb = playbook(first + "  - {id: b, shell: \"echo " + use + "\"}\n");
      InputException e =
          assertThrows(
              InputException.class, () -> planner.plan(PlanInputs.of(pb, inventory).build()), use);
      assertTrue(
          e.getMessage().contains("pb.yml:6:5: step 'b', shell, on host 'q1': "), e.getMessage());
    }
  }

  @Test
  void extraVarsWin() throws IOException {
    Plan plan =
        planner.plan(PlanInputs.of(playbook(STEPS), inventory).vars(Map.of("root", "/x")).build());
    assertEquals(
        Optional.of("echo /x"), plan.hosts().findFirst().orElseThrow().steps().get(0).command());
  }

  @Test
  void limitNarrowsEveryStageAndEmptySelectionsAreErrors() throws IOException {
    Plan plan = planner.plan(PlanInputs.of(playbook(STEPS), inventory).limit("p2").build());
    assertEquals(List.of("p2"), plan.hosts().map(h -> h.host().name()).toList());
    assertThrows(
        InputException.class,
        () ->
            planner.plan(
                PlanInputs.of(playbook(STEPS), inventory).limit("qa:&production:!q1").build()));
  }

  @Test
  void tagsThatSelectNoStepAreErrorsListingTheKnownTags() throws IOException {
    // given steps tagged db and web
    Playbook pb =
        playbook(
            "  - {id: a, shell: echo a, tags: [db]}\n"
                + "  - {id: b, shell: echo b, tags: [web]}\n"
                + "  - {id: c, shell: echo c, tags: [never, debug]}\n");

    // when --tags names a tag no step has (a typo)
    InputException typo =
        assertThrows(InputException.class, () -> plan(pb, List.of("dbb"), List.of()));
    // then it is refused, naming it, the nearest tag and the known tags
    assertTrue(typo.getMessage().contains("--tags 'dbb': no step of"), typo.getMessage());
    assertTrue(typo.hint().contains("did you mean db?"), typo.hint());
    assertTrue(typo.hint().contains("the playbook's tags: db, debug, never, web"), typo.hint());

    // and so is a --skip-tags typo (it would run the step meant to be skipped)
    InputException skip =
        assertThrows(InputException.class, () -> plan(pb, List.of(), List.of("wbe")));
    assertTrue(skip.getMessage().contains("--skip-tags 'wbe'"), skip.getMessage());

    // and known tags that together select nothing
    InputException none =
        assertThrows(InputException.class, () -> plan(pb, List.of("db"), List.of("db")));
    assertTrue(none.getMessage().contains("select no step"), none.getMessage());

    // while known tags plan as before
    assertEquals(
        List.of(Prediction.RUN, Prediction.NOT_SELECTED, Prediction.NOT_SELECTED),
        plan(pb, List.of("db", "all"), List.of("web"))
            .hosts()
            .findFirst()
            .orElseThrow()
            .steps()
            .stream()
            .map(PlannedStep::prediction)
            .toList());
  }

  private Plan plan(Playbook pb, List<String> tags, List<String> skipTags) {
    return planner.plan(
        PlanInputs.of(pb, inventory)
            .options(new PlanOptions(tags, skipTags, false, java.util.Set.of(), Map.of()))
            .build());
  }

  private static List<List<String>> batches(PlannedStage stage) {
    return stage.batches().stream()
        .map(b -> b.hosts().stream().map(h -> h.host().name()).toList())
        .toList();
  }

  @Test
  void hopsRepeatThePipelinePerValueWithTheirOwnIds() throws IOException {
    Files.writeString(
        dir.resolve("hops.yml"),
        """
        hosts: qa
        vars: {path: ["27.1.12", "28.0.14"], target: "28.0.14", hop_index: 1, hop_count: 1}
        hops: {var: target, values: "{{ path }}"}
        steps:
          - {id: up, shell: "upgrade to {{ target }} ({{ hop_index }}/{{ hop_count }})"}
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("hops.yml"));
    PlannedHost q1 =
        planner
            .plan(PlanInputs.of(pb, inventory).limit("q1").build())
            .hosts()
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of("up@27.1.12", "up@28.0.14"), q1.steps().stream().map(s -> s.step().id()).toList());
    assertEquals(Optional.of("upgrade to 27.1.12 (1/2)"), q1.steps().get(0).command());
    assertEquals(Optional.of("upgrade to 28.0.14 (2/2)"), q1.steps().get(1).command());
    PlannedHost plain =
        planner
            .plan(PlanInputs.of(pb, inventory).vars(Map.of("path", List.of())).limit("q1").build())
            .hosts()
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of("up"),
        plain.steps().stream().map(s -> s.step().id()).toList(),
        "an empty path means no repetition");
  }
}
