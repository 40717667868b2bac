package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.PlanOptions;
import dev.orchestrator.plan.Planner;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --run RUN --retry-failed} shows which hosts are held back, in text and JSON. */
class PlanRendererHeldBackTest {
  @TempDir Path dir;

  /** h1 failed at step a; h2 and h3 have not started. */
  private Plan plan(PlanOptions.Scope scope) throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n    h2:\n    h3:\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        stages:
          - {name: all, hosts: all, serial: 3}
        steps:
          - {id: a, shell: "echo a"}
        """);
    Instant t = Instant.now();
    RunState state =
        new RunState(
            new RunInfo(
                "r1",
                "pb",
                TestRunSpecs.of(
                    "p", "i", Map.of(), List.of(), Optional.empty(), 1, Optional.empty(), false),
                RunStatus.PAUSED,
                "",
                t,
                t,
                1),
            Map.of(
                "h1",
                Map.of(
                    "a",
                    TestCheckpoints.of(
                        "h1", "a", StepStatus.FAILED, 1, t, t, 1, "exit 1", Map.of(), ""))),
            Map.of(),
            Map.of(),
            Map.of(),
            0);
    return new Planner(new TemplateEngine())
        .plan(
            PlanInputs.of(
                    new PlaybookLoader().load(dir.resolve("pb.yml")),
                    InventoryLoader.load(dir.resolve("inv.yml")))
                .state(state)
                .options(PlanOptions.DEFAULT.withScope(scope))
                .build());
  }

  private static String text(Plan plan) {
    java.io.StringWriter out = new java.io.StringWriter();
    PlanRenderer.text(plan, false, new java.io.PrintWriter(out, true));
    return out.toString();
  }

  private static JsonNode json(Plan plan) throws IOException {
    java.io.StringWriter out = new java.io.StringWriter();
    PlanRenderer.json(plan, false, new java.io.PrintWriter(out, true));
    return new ObjectMapper().readTree(out.toString());
  }

  @Test
  void theTextNamesTheHeldBackHostsAndCountsOnlyTheRetriedOnes() throws IOException {
    // given a plan of --retry-failed where h1 failed
    String text = text(plan(PlanOptions.Scope.FAILED_HOSTS_ONLY));
    // then h2 and h3 are shown held, named, and their steps are not counted as runs
    assertTrue(text.contains("    (host)  paused   held     held"), text);
    assertTrue(
        text.contains(
            "held back by --retry-failed (left as they are; the run stays paused until a plain"
                + " resume): h2, h3"),
        text);
    assertTrue(text.contains("1 step run(s) on 1 of 3 host(s). Nothing was changed."), text);
  }

  @Test
  void withoutRetryFailedTheTextIsAsBefore() throws IOException {
    String text = text(plan(PlanOptions.Scope.ALL_HOSTS));
    assertFalse(text.contains("held"), text);
    assertTrue(text.contains("3 step run(s) on 3 of 3 host(s). Nothing was changed."), text);
  }

  @Test
  void theJsonFlagsEachHeldBackHostAndListsThem() throws IOException {
    JsonNode root = json(plan(PlanOptions.Scope.FAILED_HOSTS_ONLY));
    assertEquals("[\"h2\",\"h3\"]", root.get("held_back").toString());
    JsonNode hosts = root.get("stages").get(0).get("batches").get(0).get("hosts");
    assertFalse(hosts.get(0).get("held_back").asBoolean());
    assertTrue(hosts.get(1).get("held_back").asBoolean());
    assertEquals("held", hosts.get(1).get("state").asText());
    assertEquals("paused", hosts.get(0).get("state").asText());
  }
}
