package dev.orchestrator.execute;

import static dev.orchestrator.execute.ScriptedConnection.exit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.common.Redactor;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.plan.Prediction;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module steps and the result keywords on one host over a {@link ScriptedConnection}: what is
 * checkpointed (write-ahead, as any step), what reaches the host, and what the next plan knows.
 */
class ModuleStepsTest {
  @TempDir Path dir;
  private RunStore store;
  private RunJournal journal;
  private final TemplateEngine templates = new TemplateEngine();
  private final List<Duration> slept = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    store = new RunStore(dir.resolve("state"));
    journal =
        store.create(
            "r1",
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false));
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
  }

  @AfterEach
  void close() throws Exception {
    journal.close();
  }

  private PlannedHost plan(String steps, boolean resume) throws Exception {
    return plan("", steps, resume);
  }

  private PlannedHost plan(String head, String steps, boolean resume) throws Exception {
    Files.writeString(dir.resolve("pb.yml"), "hosts: all\n" + head + "steps:\n" + steps);
    return new Planner(templates)
        .plan(
            PlanInputs.of(
                    new PlaybookLoader().load(dir.resolve("pb.yml")),
                    InventoryLoader.load(dir.resolve("inv.yml")))
                .state(resume ? Optional.of(store.load("r1")) : Optional.empty())
                .build())
        .hosts()
        .findFirst()
        .orElseThrow();
  }

  private HostOutcome run(PlannedHost planned, ScriptedConnection host) {
    return new HostPipeline(
            planned,
            new PipelineServices(
                (name, spec) -> host,
                journal,
                e -> {},
                templates,
                new Redactor(),
                java.util.Set.of(),
                Map.of(),
                (id, vars) -> null,
                Optional.empty(),
                slept::add),
            false,
            new AtomicBoolean(false),
            false)
        .run();
  }

  /** {@code STEP STATUS ATTEMPT [MESSAGE]} per checkpoint line. */
  private List<String> journal() throws Exception {
    List<String> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line :
        Files.readAllLines(store.root().resolve("runs/r1").resolve("journal.jsonl"))) {
      JsonNode c = json.readTree(line).path("checkpoint");
      if (c.isObject()) {
        String message = c.path("message").asText("");
        out.add(
            c.path("stepId").asText()
                + " "
                + c.path("status").asText()
                + " "
                + c.path("attempt").asInt()
                + (message.isEmpty() ? "" : " " + message));
      }
    }
    return out;
  }

  @Test
  void controllerModulesAreCheckpointedAndSendNothing() throws Exception {
    // given debug, set_fact and assert steps
    ScriptedConnection host = new ScriptedConnection();
    String steps =
        """
          - {id: d, debug: {msg: "hi {{ inventory_hostname }}"}, register: dd}
          - {id: s, set_fact: {release: "r-{{ dd.msg }}", items: [1, 2]}}
          - {id: a, assert: {that: ["release == 'r-hi h1'", "items | length == 2"]}}
        """;
    // when they run
    HostOutcome outcome = run(plan(steps, false), host);
    // then each is RUNNING before its result, and no command reached the host
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(
        List.of(
            "d RUNNING 1",
            "d SUCCEEDED 1",
            "s RUNNING 1",
            "s SUCCEEDED 1",
            "a RUNNING 1",
            "a SUCCEEDED 1"),
        journal());
    assertEquals(List.of(), host.sent);
  }

  @Test
  void includedVarsSurviveAPauseAndResume() throws Exception {
    // given vars included from a file before a step that fails
    Files.writeString(dir.resolve("app.yml"), "release: v3\n");
    String steps =
        """
          - {id: v, include_vars: app.yml}
          - {id: use, shell: "deploy {{ release }}"}
        """;
    ScriptedConnection first = new ScriptedConnection().on("use", "deploy", exit(1, ""));
    assertInstanceOf(HostOutcome.Paused.class, run(plan(steps, false), first));
    // when the run is resumed from its checkpoints (a new controller: nothing in memory)
    PlannedHost resumed = plan(steps, true);
    HostOutcome outcome = run(resumed, new ScriptedConnection().on("use", "deploy", exit(0, "")));
    // then the vars came from the include's checkpoint
    assertEquals("v3", resumed.vars().get("release"));
    assertEquals(Prediction.DONE, resumed.steps().get(0).prediction());
    assertEquals(new HostOutcome.Done("h1"), outcome);
  }

  @Test
  void setFactSurvivesAPauseAndResume() throws Exception {
    // given a fact set before a step that fails
    String steps =
        """
          - {id: s, set_fact: {release: "{{ 'v' ~ 2 }}"}}
          - {id: use, shell: "deploy {{ release }}"}
        """;
    ScriptedConnection first = new ScriptedConnection().on("use", "deploy", exit(1, ""));
    assertInstanceOf(HostOutcome.Paused.class, run(plan(steps, false), first));
    // when the run is resumed from its checkpoints (a new controller: nothing in memory)
    PlannedHost resumed = plan(steps, true);
    List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
    ScriptedConnection second =
        new ScriptedConnection()
            .on(
                "use",
                c -> {
                  commands.add(c);
                  return c.contains("deploy");
                },
                exit(0, ""));
    HostOutcome outcome = run(resumed, second);
    // then the fact came from the set_fact's checkpoint, and the step got its value as data
    assertEquals("v2", resumed.vars().get("release"));
    assertEquals(Prediction.DONE, resumed.steps().get(0).prediction());
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertTrue(commands.stream().anyMatch(c -> c.contains("__ORCH_1=v2;")), commands.toString());
  }

  @Test
  void untilRunsAgainAndCountsAttempts() throws Exception {
    // given a step that is ready at its third attempt
    ScriptedConnection host =
        new ScriptedConnection()
            .on("probe", "status", exit(0, "starting\n"), exit(0, "starting\n"), exit(0, "up\n"));
    String steps =
        """
          - {id: probe, shell: status, register: r, until: "r.stdout == 'up'", delay: 2s}
          - {id: after, debug: {msg: "{{ r.attempts }}"}, register: shown}
        """;
    // when it runs
    HostOutcome outcome = run(plan(steps, false), host);
    // then it ran three times (Ansible's default retries: 3), 2 s apart, and registered attempts 3
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(
        List.of(
            "probe RUNNING 1",
            "probe FAILED 1 until: r.stdout == 'up' is false (will retry)",
            "probe RUNNING 2",
            "probe FAILED 2 until: r.stdout == 'up' is false (will retry)",
            "probe RUNNING 3",
            "probe SUCCEEDED 3",
            "after RUNNING 1",
            "after SUCCEEDED 1"),
        journal());
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), slept);
    assertEquals(
        "3", store.load("r1").checkpoint("h1", "after").orElseThrow().registered().get("msg"));
  }

  @Test
  void untilThatNeverHoldsFailsAfterItsRetries() throws Exception {
    ScriptedConnection host = new ScriptedConnection().on("probe", "status", exit(0, "no\n"));
    HostOutcome outcome =
        run(
            plan(
                "  - {id: probe, shell: status, register: r, until: \"r.stdout == 'up'\","
                    + " retries: 1, delay: 0s}\n",
                false),
            host);
    HostOutcome.Paused paused = assertInstanceOf(HostOutcome.Paused.class, outcome);
    assertEquals("until: r.stdout == 'up' still false after 2 attempts", paused.message());
  }

  @Test
  void ignoreErrorsRecordsTheFailureAndGoesOn() throws Exception {
    // given a failing module step with ignore_errors, then a step using its result
    ScriptedConnection host = new ScriptedConnection().on("next", "next", exit(0, ""));
    String steps =
        """
          - {id: f, fail: {msg: boom}, ignore_errors: true, register: ff}
          - {id: next, shell: "next {{ ff.failed }}"}
        """;
    // when it runs
    HostOutcome outcome = run(plan(steps, false), host);
    // then the failure is recorded (done, so resume goes past it), registered failed: true
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(
        List.of(
            "f RUNNING 1",
            "f SUCCEEDED 1 failed, ignored (ignore_errors): boom",
            "next RUNNING 1",
            "next SUCCEEDED 1"),
        journal());
    assertEquals(
        true, store.load("r1").checkpoint("h1", "f").orElseThrow().registered().get("failed"));
    assertEquals(Prediction.DONE, plan(steps, true).steps().get(0).prediction());
  }

  @Test
  void failedWhenDecidesInPlaceOfTheExitCode() throws Exception {
    // given a command that exits 3, which failed_when accepts, and one whose output fails it
    ScriptedConnection host =
        new ScriptedConnection()
            .on("a", "cmd-a", exit(3, "fine\n"))
            .on("b", "cmd-b", exit(0, "ERROR: disk\n"));
    String steps =
        """
          - {id: a, shell: cmd-a, register: ra, failed_when: ra.rc == 4}
          - {id: b, shell: cmd-b, register: rb, failed_when: "'ERROR' in rb.stdout"}
        """;
    // when they run
    HostOutcome outcome = run(plan(steps, false), host);
    // then the first succeeds, the second pauses the host
    HostOutcome.Paused paused = assertInstanceOf(HostOutcome.Paused.class, outcome);
    assertEquals("b", paused.step());
    assertEquals("failed_when: 'ERROR' in rb.stdout is true", paused.message());
    assertEquals(
        false,
        store
            .load("r1")
            .checkpoint("h1", "a")
            .orElseThrow()
            .registered()
            .get("failed_when_result"));
  }

  @Test
  void aFalseAssertPausesWithItsMessage() throws Exception {
    HostOutcome outcome =
        run(
            plan(
                "vars: {x: 2}\n",
                "  - {id: a, assert: {that: [\"x == 1\"], fail_msg: \"x is {{ x }}\"}}\n"
                    + "  - {id: b, debug: {}}\n",
                false),
            new ScriptedConnection());
    HostOutcome.Paused paused = assertInstanceOf(HostOutcome.Paused.class, outcome);
    assertEquals("x is 2", paused.message());
  }

  @Test
  void aDebugMessageThatCannotBeRenderedPausesOnlyThatHost() throws Exception {
    // given a step whose output is not JSON, and a debug step that parses it
    ScriptedConnection host = new ScriptedConnection().on("emit", "emit", exit(0, "notjson\n"));
    String steps =
        """
          - {id: emit, shell: emit, register: r}
          - {id: d, debug: {msg: "{{ r.stdout | from_json }}"}}
        """;
    // when they run
    HostOutcome outcome = run(plan(steps, false), host);
    // then the host pauses on the debug step with a template error, instead of an exception that
    // would stop the whole run as an internal error
    HostOutcome.Paused paused = assertInstanceOf(HostOutcome.Paused.class, outcome);
    assertEquals("d", paused.step());
    assertTrue(paused.message().contains("from_json"), paused.message());
  }
}
