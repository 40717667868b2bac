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

class FactsPlanningTest {
  @TempDir Path dir;
  private Inventory inventory;
  private final Planner planner = new Planner(new TemplateEngine());

  /** Reads the apps paths (a fact step), then checks them, then updates. */
  private static final String READ_CHECK_UPDATE =
      """
      steps:
        - id: read-apps-paths
          shell: cat apps_paths
          register: apps
          fact: true
        - id: check-files
          shell: test -d {{ apps.stdout }}
        - id: update
          shell: echo update
      """;

  @BeforeEach
  void inventory() throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n");
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
  }

  private Playbook playbook(String text) throws IOException {
    Files.writeString(dir.resolve("pb.yml"), text);
    return new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  private static RunState state(Map<String, Checkpoint> checkpoints) {
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
    return new RunState(info, Map.of("h1", checkpoints), Map.of(), Map.of(), Map.of(), 0);
  }

  private static Checkpoint cp(String step, StepStatus status, Map<String, Object> registered) {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    return TestCheckpoints.of(
        "h1",
        step,
        status,
        1,
        t,
        t,
        status == StepStatus.FAILED ? 1 : 0,
        status == StepStatus.FAILED ? "exit code 1" : "",
        registered,
        "");
  }

  private PlannedHost plan(Playbook playbook, Optional<RunState> state) {
    Plan plan = planner.plan(PlanInputs.of(playbook, inventory).state(state).build());
    return plan.stages().get(0).batches().get(0).hosts().get(0);
  }

  @Test
  void aFactStepThatSucceededRunsAgainOnResumeAndWhatUsesItIsDecidedAtRunTime() throws IOException {
    // given: read-apps-paths succeeded (it read "old"), and the host paused at check-files
    Map<String, Checkpoint> cps = new LinkedHashMap<>();
    cps.put(
        "read-apps-paths", cp("read-apps-paths", StepStatus.SUCCEEDED, Map.of("stdout", "old")));
    cps.put("check-files", cp("check-files", StepStatus.FAILED, Map.of()));

    // when: the resume is planned
    PlannedHost h1 = plan(playbook(READ_CHECK_UPDATE), Optional.of(state(cps)));

    // then: the fact step runs again, saying why, and check-files does not use the old value
    PlannedStep read = h1.steps().get(0);
    assertEquals(Prediction.RUN, read.prediction());
    assertTrue(read.reason().contains("fact: true, read again on resume"), read.reason());
    assertEquals(1, read.previousAttempts());
    PlannedStep check = h1.steps().get(1);
    assertEquals(Prediction.RETRY, check.prediction());
    assertEquals(Optional.empty(), check.command(), "its command waits for the value read again");
    assertFalse(String.valueOf(h1.vars().get("apps")).contains("old"));
  }

  @Test
  void aFactStepInterruptedByTheControllersDeathRunsAgainInsteadOfBeingInDoubt()
      throws IOException {
    // given: the controller died while read-apps-paths was running (its checkpoint says RUNNING)
    Map<String, Checkpoint> cps = new LinkedHashMap<>();
    cps.put("read-apps-paths", cp("read-apps-paths", StepStatus.RUNNING, Map.of()));

    // when: the resume is planned
    PlannedHost h1 = plan(playbook(READ_CHECK_UPDATE), Optional.of(state(cps)));

    // then: a step that only reads the host runs again; nobody is asked whether it finished
    PlannedStep read = h1.steps().get(0);
    assertEquals(Prediction.RERUN, read.prediction(), read.reason());
    assertTrue(read.reason().contains("runs again"), read.reason());
  }

  @Test
  void aHostWhoseStepsAreAllDoneDoesNotReadItsFactsAgain() throws IOException {
    // given: every step of the host succeeded
    Map<String, Checkpoint> cps = new LinkedHashMap<>();
    cps.put("read-apps-paths", cp("read-apps-paths", StepStatus.SUCCEEDED, Map.of("stdout", "a")));
    cps.put("check-files", cp("check-files", StepStatus.SUCCEEDED, Map.of()));
    cps.put("update", cp("update", StepStatus.SUCCEEDED, Map.of()));

    // when
    PlannedHost h1 = plan(playbook(READ_CHECK_UPDATE), Optional.of(state(cps)));

    // then: nothing to do, the fact step is done with its value
    assertFalse(h1.needsWork());
    assertEquals(Prediction.DONE, h1.steps().get(0).prediction());
    assertEquals(Map.of("stdout", "a"), h1.vars().get("apps"));
  }

  @Test
  void aTemplateThatReadsAFactIsDecidedAtRunTimeAndATypoInAFactIsAnError() throws IOException {
    // given: a playbook that reads facts (so gathers them by default)
    Playbook pb =
        playbook(
            """
            steps:
              - id: only-debian
                shell: echo {{ ansible_hostname }}
                when: ansible_os_family == "Debian"
              - id: plain
                shell: echo {{ ansible_default_ipv4.address }} {{ ansible_facts.kernel }}
            """);
    assertTrue(pb.gatherFacts());

    // when: planned without --check
    PlannedHost h1 = plan(pb, Optional.empty());

    // then: both wait for the facts, and the planned vars hold no stand-in
    assertEquals(Prediction.DECIDED_AT_RUN_TIME, h1.steps().get(0).prediction());
    assertEquals(Prediction.DECIDED_AT_RUN_TIME, h1.steps().get(1).prediction());
    assertFalse(h1.vars().containsKey("ansible_hostname"));
    Playbook typo = playbook("steps:\n  - id: a\n    shell: echo {{ ansible_factz }}\n");
    assertThrows(InputException.class, () -> plan(typo, Optional.empty()));
  }

  @Test
  void planCheckPlansWithTheGatheredFacts() throws IOException {
    // given: facts gathered read-only by plan --check
    Playbook pb =
        playbook(
            """
            steps:
              - id: only-debian
                shell: echo {{ ansible_hostname }}
                when: ansible_os_family == "RedHat"
              - id: name
                shell: echo {{ ansible_hostname }}
            """);
    PlanOptions.HostProbes probes =
        new PlanOptions.HostProbes(
            Map.of(), Map.of(), Map.of(), Map.of("hostname", "web1", "os_family", "Debian"));

    // when
    Plan plan =
        planner.plan(
            PlanInputs.of(pb, inventory)
                .options(PlanOptions.DEFAULT.withProbes(Map.of("h1", probes)))
                .build());
    PlannedHost h1 = plan.stages().get(0).batches().get(0).hosts().get(0);

    // then
    assertEquals(Prediction.SKIP, h1.steps().get(0).prediction());
    assertEquals(Optional.of("echo web1"), h1.steps().get(1).command());
  }

  @Test
  void gatherFactsFalseMakesAFactAnUndefinedVariable() throws IOException {
    // given
    Playbook pb =
        playbook(
            "gather_facts: false\nsteps:\n  - id: a\n    shell: echo {{ ansible_hostname }}\n");

    // when / then
    assertFalse(pb.gatherFacts());
    InputException e = assertThrows(InputException.class, () -> plan(pb, Optional.empty()));
    assertTrue(e.getMessage().contains("ansible_hostname"), e.getMessage());
  }

  @Test
  void aServiceOrGroupStepInterruptedByTheControllersDeathRunsAgainInsteadOfBeingInDoubt()
      throws IOException {
    // given: the controller died while a systemd step and a group step were running
    Map<String, Checkpoint> cps = new LinkedHashMap<>();
    cps.put("unit", cp("unit", StepStatus.RUNNING, Map.of()));
    Playbook pb =
        playbook(
            """
            steps:
              - id: unit
                systemd: {name: app, state: started}
              - id: grp
                group: {name: app}
            """);
    // when: the resume is planned
    PlannedHost h1 = plan(pb, Optional.of(state(cps)));
    // then: the unit is brought to its state again (systemd.py converges), nobody is asked
    PlannedStep unit = h1.steps().get(0);
    assertEquals(Prediction.RERUN, unit.prediction(), unit.reason());
    assertEquals(Prediction.RUN, h1.steps().get(1).prediction());
    assertEquals(Optional.of("group {name=app}"), h1.steps().get(1).command());
  }

  @Test
  void aHaproxyOrNagiosStepInterruptedByTheControllersDeathRunsAgainInsteadOfBeingInDoubt()
      throws IOException {
    // given: the controller died while a drain (haproxy) was running; nagios not started
    Map<String, Checkpoint> cps = new LinkedHashMap<>();
    cps.put("drain", cp("drain", StepStatus.RUNNING, Map.of()));
    Playbook pb =
        playbook(
            """
            steps:
              - id: drain
                haproxy: {state: disabled, backend: app, host: web1, socket: /run/haproxy.sock}
              - id: quiet
                nagios: {action: disable_alerts, host: web1, services: http}
            """);
    // when: the resume is planned
    PlannedHost h1 = plan(pb, Optional.of(state(cps)));
    // then: the drain is sent again (the server is brought to a state: a second disable changes
    // nothing), nobody is asked; the nagios step runs, previewed with its arguments
    PlannedStep drain = h1.steps().get(0);
    assertEquals(Prediction.RERUN, drain.prediction(), drain.reason());
    assertEquals(Prediction.RUN, h1.steps().get(1).prediction());
    assertTrue(
        h1.steps().get(1).command().orElseThrow().startsWith("nagios {action=disable_alerts"),
        h1.steps().get(1).command().orElseThrow());
  }

  @Test
  void aGitStepInterruptedByTheControllersDeathRunsAgainAndItsArgumentsArePreviewed()
      throws IOException {
    // given: the controller died while a git step was running; another git step follows
    Map<String, Checkpoint> cps = new LinkedHashMap<>();
    cps.put("co", cp("co", StepStatus.RUNNING, Map.of()));
    Playbook pb =
        playbook(
            """
            vars: {v: v2}
            steps:
              - id: co
                git: {repo: /srv/app.git, dest: /srv/app}
              - id: co2
                git: {repo: /srv/app.git, dest: /srv/app2, version: "{{ v }}"}
            """);
    // when: the resume is planned
    PlannedHost h1 = plan(pb, Optional.of(state(cps)));
    // then: the checkout is fetched and switched again (git.py converges), nobody is asked, and
    // the next step shows the module and its arguments as written
    PlannedStep co = h1.steps().get(0);
    assertEquals(Prediction.RERUN, co.prediction(), co.reason());
    assertEquals(Prediction.RUN, h1.steps().get(1).prediction());
    assertEquals(
        Optional.of("git {repo=/srv/app.git, dest=/srv/app2, version={{ v }}}"),
        h1.steps().get(1).command());
  }
}
