package dev.orchestrator.execute;

import static dev.orchestrator.execute.ScriptedConnection.exit;
import static dev.orchestrator.execute.ScriptedConnection.fail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
 * Handlers on one host over a {@link ScriptedConnection}: which handler runs happen, in which
 * order, how often, and what the journal records (README "Handlers").
 */
class HandlerRunsTest {
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
    Files.writeString(dir.resolve("pb.yml"), "hosts: all\n" + playbook);
    PlannedHost planned =
        new Planner(templates)
            .plan(
                PlanInputs.of(
                        new PlaybookLoader().load(dir.resolve("pb.yml")),
                        InventoryLoader.load(dir.resolve("inv.yml")))
                    .state(resume ? Optional.of(store.load("r1")) : Optional.empty())
                    .build())
            .hosts()
            .findFirst()
            .orElseThrow();
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
        - {id: a, shell: "echo a", notify: [reload, restart web]}
        - {id: b, shell: "echo b", notify: restart web}
        - {id: c, shell: "echo c", notify: restart web, changed_when: false}
      handlers:
        - {id: restart, name: restart web, shell: "echo restart", notify: web-reloaded}
        - {id: reload, shell: "echo reload"}
        - {id: after, shell: "echo then", listen: web-reloaded}
      """;

  @Test
  void notifiedHandlersRunOnceAtTheEndInDefinitionOrderAndChain() throws Exception {
    // given a and b notify restart web (twice), a notifies reload; restart notifies a topic
    ScriptedConnection host =
        new ScriptedConnection()
            .on("a", "echo a", exit(0, ""))
            .on("b", "echo b", exit(0, ""))
            .on("c", "echo c", exit(0, ""))
            .on("restart", "echo restart", exit(0, ""))
            .on("reload", "echo reload", exit(0, ""))
            .on("after", "echo then", exit(0, ""));
    // when
    HostOutcome outcome = run(PLAYBOOK, host, false);
    // then each runs once, in the order handlers are defined (not the order of notification)
    assertInstanceOf(HostOutcome.Done.class, outcome);
    assertEquals(List.of("a", "b", "c", "restart", "reload", "after"), host.sent);
    assertEquals(
        List.of(
            "a SUCCEEDED changed",
            "b SUCCEEDED changed",
            "c SUCCEEDED",
            "restart SUCCEEDED changed",
            "reload SUCCEEDED changed",
            "after SUCCEEDED changed",
            "host done"),
        journal());
  }

  @Test
  void aStepThatDoesNotChangeTheHostNotifiesNothing() throws Exception {
    // given only c notifies, and its changed_when is false
    ScriptedConnection host =
        new ScriptedConnection()
            .on("c", "echo c", exit(0, ""))
            .on("restart", "echo restart", exit(0, ""));
    String playbook =
        PLAYBOOK
            .replace("notify: [reload, restart web]", "when: false")
            .replace(
                "{id: b, shell: \"echo b\", notify: restart web}",
                "{id: b, shell: \"echo b\", when: false}");
    // when
    run(playbook, host, false);
    // then no handler runs; their skips are recorded
    assertEquals(List.of("c"), host.sent);
    assertEquals(
        List.of(
            "a SKIPPED",
            "b SKIPPED",
            "c SUCCEEDED",
            "restart SKIPPED",
            "reload SKIPPED",
            "after SKIPPED",
            "host done"),
        journal());
  }

  @Test
  void aNotificationSurvivesAPauseAndTheHandlerRunsOnceOnResume() throws Exception {
    // given a changed the host and notified restart web, then b failed: the host paused
    ScriptedConnection first =
        new ScriptedConnection().on("a", "echo a", exit(0, "")).on("b", "echo b", fail(1, "x"));
    assertInstanceOf(HostOutcome.Paused.class, run(PLAYBOOK, first, false));
    // when the run resumes (a new controller: nothing in memory)
    ScriptedConnection second =
        new ScriptedConnection()
            .on("b", "echo b", exit(0, ""))
            .on("c", "echo c", exit(0, ""))
            .on("restart", "echo restart", exit(0, ""))
            .on("reload", "echo reload", exit(0, ""))
            .on("after", "echo then", exit(0, ""));
    HostOutcome outcome = run(PLAYBOOK, second, true);
    // then the handlers a notified before the pause run, once each
    assertInstanceOf(HostOutcome.Done.class, outcome);
    assertEquals(List.of("b", "c", "restart", "reload", "after"), second.sent);
  }

  @Test
  void aFlushStepRunsTheHandlersNotifiedSoFarAndTheEndOnlyTheLaterOnes() throws Exception {
    // given a flush step between a and b
    String playbook =
        PLAYBOOK.replace("  - {id: b,", "  - meta: flush_handlers\n    id: mid\n  - {id: b,");
    ScriptedConnection host =
        new ScriptedConnection()
            .on("a", "echo a", exit(0, ""))
            .on("b", "echo b", exit(0, ""))
            .on("c", "echo c", exit(0, ""))
            .on("restart", "echo restart", exit(0, ""))
            .on("reload", "echo reload", exit(0, ""))
            .on("after", "echo then", exit(0, ""));
    // when
    run(playbook, host, false);
    // then restart runs twice (notified before and after the flush), reload once
    assertEquals(
        List.of("a", "restart", "reload", "after", "b", "c", "restart", "after"), host.sent);
    assertEquals(
        List.of(
            "a SUCCEEDED changed",
            "restart.mid SUCCEEDED changed",
            "reload.mid SUCCEEDED changed",
            "after.mid SUCCEEDED changed",
            "b SUCCEEDED changed",
            "c SUCCEEDED",
            "restart SUCCEEDED changed",
            "reload SKIPPED",
            "after SUCCEEDED changed",
            "host done"),
        journal());
  }
}
