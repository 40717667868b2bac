package dev.orchestrator.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.common.Redactor;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.plan.PlannedStep;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One host, {@code h1}, planned by the real planner and run by the real {@link HostPipeline} with a
 * journal in {@code dir}: for playbooks of controller modules only ({@code set_fact}, {@code
 * debug}, ...), which send nothing to the host.
 */
final class ControllerRun implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final RunStore store;
  private final RunJournal journal;
  private final TemplateEngine templates = new TemplateEngine();

  ControllerRun(Path dir) throws IOException {
    this.dir = dir;
    store = new RunStore(dir.resolve("state"));
    journal =
        store.create(
            "r1",
            "t",
            TestRunSpecs.of(
                "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false));
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
  }

  @Override
  public void close() throws IOException {
    journal.close();
  }

  /** Plans {@code playbook}'s text on h1 (no state). */
  PlannedHost plan(String playbook) throws IOException {
    Files.writeString(dir.resolve("pb.yml"), playbook);
    return new Planner(templates)
        .plan(
            PlanInputs.of(
                    new PlaybookLoader().load(dir.resolve("pb.yml")),
                    InventoryLoader.load(dir.resolve("inv.yml")))
                .build())
        .hosts()
        .findFirst()
        .orElseThrow();
  }

  /** Runs the host's steps. */
  HostOutcome run(PlannedHost planned) {
    return new HostPipeline(
            planned,
            new PipelineServices(
                (name, spec) -> new ScriptedConnection(),
                journal,
                e -> {},
                templates,
                new Redactor(),
                java.util.Set.of(),
                Map.of(),
                (id, vars) -> null,
                Optional.empty(),
                d -> {}),
            false,
            new AtomicBoolean(false),
            false)
        .run();
  }

  /**
   * The last checkpoint of each step that ended: {@code STATUS}, and {@code =MSG} when it
   * registered a msg.
   */
  Map<String, String> ended() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line :
        Files.readAllLines(store.root().resolve("runs/r1").resolve("journal.jsonl"))) {
      JsonNode c = JSON.readTree(line).path("checkpoint");
      if (c.isObject() && !c.path("status").asText().equals("RUNNING")) {
        JsonNode msg = c.path("registered").path("msg");
        out.put(
            c.path("stepId").asText(),
            c.path("status").asText() + (msg.isTextual() ? "=" + msg.asText() : ""));
      }
    }
    return out;
  }

  /** The plan's prediction of each step, by id. */
  static Map<String, String> predicted(PlannedHost host) {
    Map<String, String> out = new LinkedHashMap<>();
    for (PlannedStep s : host.steps()) {
      out.put(s.step().id(), s.prediction().name());
    }
    return out;
  }
}
