package dev.orchestrator.execute;

import static dev.orchestrator.execute.ScriptedConnection.exit;
import static dev.orchestrator.execute.ScriptedConnection.fail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.artifact.ArtifactKey;
import dev.orchestrator.common.Redactor;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Blocks on one host over a {@link ScriptedConnection}: which sections run, what the journal
 * records, and where a pause or a resume continues (README "Blocks").
 */
class BlockRunsTest {
  @TempDir Path dir;
  private RunStore store;
  private RunJournal journal;
  private final TemplateEngine templates = new TemplateEngine();

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

  private HostOutcome run(String playbook, ScriptedConnection host, boolean resume)
      throws Exception {
    PlannedHost planned = plan(playbook, resume);
    return pipeline(planned, host);
  }

  private PlannedHost plan(String playbook, boolean resume) throws Exception {
    Files.writeString(dir.resolve("pb.yml"), "hosts: all\n" + playbook);
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

  private HostOutcome pipeline(PlannedHost planned, ScriptedConnection host) {
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
                (id, vars) -> new ArtifactKey(id, "https://example.org/" + id, "abc"),
                Optional.empty(),
                d -> {}),
            false,
            new AtomicBoolean(false),
            false)
        .run();
  }

  /** The journal's checkpoints: {@code STEP STATUS [changed]}, and host records. */
  private List<String> journal() throws Exception {
    List<String> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line :
        Files.readAllLines(store.root().resolve("runs/r1").resolve("journal.jsonl"))) {
      JsonNode entry = json.readTree(line);
      JsonNode c = entry.path("checkpoint");
      if (c.isObject() && !c.path("status").asText().equals("RUNNING")) {
        out.add(
            c.path("stepId").asText()
                + " "
                + c.path("status").asText()
                + (c.path("changed").asBoolean() ? " changed" : ""));
      } else if (entry.path("host").isObject()) {
        out.add(
            "host " + entry.path("host").path("state").asText().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }

  private static final String PLAYBOOK =
      """
      steps:
        - {id: first, shell: "echo first"}
        - name: upgrade web
          id: up
          block:
            - {id: drain, shell: "echo drain"}
            - {id: upgrade, shell: "echo upgrade", register: up_result}
            - {id: migrate, shell: "echo migrate"}
          rescue:
            - id: report
              shell: "echo failed {{ ansible_failed_task.id }} {{ ansible_failed_result.rc }}"
            - {id: restore, shell: "echo restore"}
          always:
            - {id: undrain, shell: "echo undrain"}
        - {id: last, shell: "echo last"}
      """;

  @Test
  void aBlockThatSucceedsSkipsItsRescueAndRunsItsAlways() throws Exception {
    // given every step succeeds
    ScriptedConnection host =
        new ScriptedConnection()
            .on("first", "echo first", exit(0, ""))
            .on("drain", "echo drain", exit(0, ""))
            .on("upgrade", "echo upgrade", exit(0, ""))
            .on("migrate", "echo migrate", exit(0, ""))
            .on("undrain", "echo undrain", exit(0, ""))
            .on("last", "echo last", exit(0, ""));
    // when
    HostOutcome outcome = run(PLAYBOOK, host, false);
    // then the rescue is skipped (recorded), the always runs, ids carry the block's id
    assertInstanceOf(HostOutcome.Done.class, outcome);
    assertEquals(List.of("first", "drain", "upgrade", "migrate", "undrain", "last"), host.sent);
    assertEquals(
        List.of(
            "first SUCCEEDED changed",
            "up.drain SUCCEEDED changed",
            "up.upgrade SUCCEEDED changed",
            "up.migrate SUCCEEDED changed",
            "up.report SKIPPED",
            "up.restore SKIPPED",
            "up.undrain SUCCEEDED changed",
            "last SUCCEEDED changed",
            "host done"),
        journal());
  }

  @Test
  void aFailureInTheBlockRunsTheRescueWithTheFailedTaskThenTheAlwaysAndTheHostIsDone()
      throws Exception {
    // given upgrade fails with exit code 3
    ScriptedConnection host =
        new ScriptedConnection()
            .on("first", "echo first", exit(0, ""))
            .on("drain", "echo drain", exit(0, ""))
            .on("upgrade", "echo upgrade", fail(3, "disk full"))
            .on(
                "report",
                c -> c.contains("=up.upgrade;") && c.contains("=3;") && c.contains("echo failed"),
                exit(0, ""))
            .on("restore", "echo restore", exit(0, ""))
            .on("undrain", "echo undrain", exit(0, ""))
            .on("last", "echo last", exit(0, ""));
    // when
    HostOutcome outcome = run(PLAYBOOK, host, false);
    // then migrate never runs, the rescue sees the failed step, and the host is not failed
    assertInstanceOf(HostOutcome.Done.class, outcome);
    assertEquals(
        List.of("first", "drain", "upgrade", "report", "restore", "undrain", "last"), host.sent);
    assertEquals(
        List.of(
            "first SUCCEEDED changed",
            "up.drain SUCCEEDED changed",
            "up.upgrade SUCCEEDED",
            "up.migrate SKIPPED",
            "up.report SUCCEEDED changed",
            "up.restore SUCCEEDED changed",
            "up.undrain SUCCEEDED changed",
            "last SUCCEEDED changed",
            "host done"),
        journal());
  }

  @Test
  void aPauseInTheRescueResumesInTheRescueKnowingTheBlockFailed() throws Exception {
    // given upgrade fails, then restore (in the rescue) fails: the host pauses there
    ScriptedConnection first =
        new ScriptedConnection()
            .on("first", "echo first", exit(0, ""))
            .on("drain", "echo drain", exit(0, ""))
            .on("upgrade", "echo upgrade", fail(3, "disk full"))
            .on(
                "report",
                c -> c.contains("=up.upgrade;") && c.contains("=3;") && c.contains("echo failed"),
                exit(0, ""))
            .on("restore", "echo restore", fail(1, "no backup"));
    HostOutcome paused = run(PLAYBOOK, first, false);
    assertInstanceOf(HostOutcome.Paused.class, paused);
    assertEquals("up.restore", ((HostOutcome.Paused) paused).step());
    // when the run resumes (a new controller: nothing in memory)
    ScriptedConnection second =
        new ScriptedConnection()
            .on("restore", "echo restore", exit(0, ""))
            .on("undrain", "echo undrain", exit(0, ""))
            .on("last", "echo last", exit(0, ""));
    HostOutcome outcome = run(PLAYBOOK, second, true);
    // then it goes on in the rescue: nothing of the block runs again, the always runs once
    assertInstanceOf(HostOutcome.Done.class, outcome);
    assertEquals(List.of("restore", "undrain", "last"), second.sent);
  }

  @Test
  void aFailureInANestedBlockWithoutRescueRunsItsAlwaysThenTheOuterRescue() throws Exception {
    // given an inner block without rescue inside an outer block with one
    String playbook =
        """
        steps:
          - block:
              - block:
                  - {id: a, shell: "echo a"}
                  - {id: b, shell: "echo b"}
                always:
                  - {id: inner-always, shell: "echo inner-always"}
              - {id: c, shell: "echo c"}
            rescue:
              - {id: r, shell: "echo r {{ ansible_failed_task.name }}"}
        """;
    ScriptedConnection host =
        new ScriptedConnection()
            .on("a", "echo a", fail(1, "x"))
            .on("inner-always", "echo inner-always", exit(0, ""))
            .on("r", c -> c.contains("=a;") && c.contains("echo r"), exit(0, ""));
    // when
    HostOutcome outcome = run(playbook, host, false);
    // then as Ansible: the inner always, then the outer rescue; b and c do not run
    assertInstanceOf(HostOutcome.Done.class, outcome);
    assertEquals(List.of("a", "inner-always", "r"), host.sent);
  }

  @Test
  void aFailureWithoutAnyRescuePausesTheHostAtTheStepAndTheAlwaysRunsOnResume() throws Exception {
    // given a block with an always only, whose step fails
    String playbook =
        """
        steps:
          - block:
              - {id: a, shell: "echo a"}
            always:
              - {id: clean, shell: "echo clean"}
        """;
    ScriptedConnection first = new ScriptedConnection().on("a", "echo a", fail(1, "x"));
    // when
    HostOutcome paused = run(playbook, first, false);
    // then the host pauses at a, as for any failure; the always waits for the block to end
    assertInstanceOf(HostOutcome.Paused.class, paused);
    assertEquals(List.of("a"), first.sent);
    ScriptedConnection second =
        new ScriptedConnection()
            .on("a", "echo a", exit(0, ""))
            .on("clean", "echo clean", exit(0, ""));
    assertInstanceOf(HostOutcome.Done.class, run(playbook, second, true));
    assertEquals(List.of("a", "clean"), second.sent);
  }

  /** The plan's lines for a host: {@code ID PREDICTION (REASON)}. */
  private static List<String> lines(PlannedHost planned) {
    return planned.steps().stream()
        .map(p -> p.step().id() + " " + p.prediction() + " (" + p.reason() + ")")
        .toList();
  }

  @Test
  void thePlanShowsTheRescueIfTheBlockFailsAndAfterAPauseInTheRescueTheBranchItIsIn()
      throws Exception {
    // given a fresh run
    List<String> fresh = lines(plan(PLAYBOOK, false));
    // then the rescue is "if the block fails", the always runs
    assertEquals("up.report DECIDED_AT_RUN_TIME (if the block fails)", fresh.get(4));
    assertEquals("up.undrain RUN (always: runs whether the block fails or not)", fresh.get(6));
    // when upgrade fails and the rescue's restore fails: the host pauses in the rescue
    run(
        PLAYBOOK,
        new ScriptedConnection()
            .on("first", "echo first", exit(0, ""))
            .on("drain", "echo drain", exit(0, ""))
            .on("upgrade", "echo upgrade", fail(3, "disk full"))
            .on("report", c -> c.contains("echo failed"), exit(0, ""))
            .on("restore", "echo restore", fail(1, "no backup")),
        false);
    List<String> resumed = lines(plan(PLAYBOOK, true));
    // then the plan of the resume knows the block failed: the rest of it is left out
    assertTrue(resumed.get(2).startsWith("up.upgrade DONE (succeeded at "), resumed.get(2));
    assertTrue(resumed.get(2).contains("failed, rescued by block 'upgrade web'"), resumed.get(2));
    assertTrue(resumed.get(3).startsWith("up.migrate SKIPPED (skipped at "), resumed.get(3));
    assertTrue(
        resumed.get(3).endsWith("not run: block 'upgrade web' failed at up.upgrade)"),
        resumed.get(3));
    assertTrue(resumed.get(5).startsWith("up.restore RETRY (failed at attempt 1"), resumed.get(5));
    assertEquals("up.undrain RUN (always: runs whether the block fails or not)", resumed.get(6));
  }

  @Test
  void aHandlerNotifiedInABlockRunsAndAFailedLoopItemIsRescued() throws Exception {
    // given a block step that notifies, then a loop whose second item fails
    String playbook =
        """
        steps:
          - block:
              - {id: conf, shell: "echo conf", notify: restart}
              - {id: each, shell: "echo {{ item }}", loop: [x, y, z]}
            rescue:
              - {id: r, shell: "echo r {{ ansible_failed_task.id }}"}
        handlers:
          - {id: restart, shell: "echo restart"}
        """;
    ScriptedConnection host =
        new ScriptedConnection()
            .on("conf", "echo conf", exit(0, ""))
            .on("x", c -> c.contains("=x;"), exit(0, ""))
            .on("y", c -> c.contains("=y;"), fail(1, "bad y"))
            .on("r", c -> c.contains("='each[y]';"), exit(0, ""))
            .on("restart", "echo restart", exit(0, ""));
    // when
    HostOutcome outcome = run(playbook, host, false);
    // then item z does not run, the rescue names the failed item, the handler runs at the end
    assertInstanceOf(HostOutcome.Done.class, outcome);
    assertEquals(List.of("conf", "x", "y", "r", "restart"), host.sent);
    assertTrue(journal().contains("each[y] SUCCEEDED"), journal().toString());
  }
}
