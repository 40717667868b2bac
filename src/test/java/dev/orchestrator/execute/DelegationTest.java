package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.Plan;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.report.Event;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.RoutingConnector;
import dev.orchestrator.transport.local.LocalConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegated steps on local hosts: one connection per delegate for the whole run, checkpoints under
 * the target, the delegate's lease released, and a failed delegated step resumed on its target
 * exactly once.
 */
class DelegationTest {
  @TempDir Path dir;
  @TempDir Path localHome;

  private final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();
  private final TemplateEngine templates = new TemplateEngine();

  private Connector connector() {
    LocalConnector local = new LocalConnector(localHome);
    return new RoutingConnector(
        (h, s) -> {
          throw new AssertionError("no ssh here");
        },
        (host, spec) -> {
          opened.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
          return local.open(host, spec);
        });
  }

  private RunResult execute(RunStore store, String id, Plan plan, boolean resumed)
      throws java.io.IOException {
    List<Event> events = new CopyOnWriteArrayList<>();
    try (RunJournal journal =
        resumed
            ? store.open(id)
            : store.create(
                id,
                "t",
                TestRunSpecs.of(
                    "p", "i", Map.of(), List.of(), Optional.empty(), 3, Optional.empty(), false))) {
      return new RunExecutor(
              connector(),
              events::add,
              templates,
              TestEngineSettings.defaults(3, RunExecutor.NextCommands.same("resume " + id)))
          .execute(plan, journal, resumed);
    }
  }

  @Test
  void threeTargetsShareOneConnectionToTheirDelegateAndResumeAFailedDrainOnce() throws Exception {
    // given three targets in one batch, each drained and enabled on lb, whose drain fails first
    Path lbDir = Files.createDirectories(dir.resolve("lb"));
    Files.writeString(lbDir.resolve("fail-t2"), "");
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    t1: {connection: local}\n    t2: {connection: local}\n"
            + "    t3: {connection: local}\n    lb: {connection: local}\n  vars:\n    lbdir: "
            + lbDir
            + "\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        hosts: t1,t2,t3
        steps:
          - id: drain
            delegate_to: lb
            shell: cd {{ lbdir }} && test ! -e fail-{{ inventory_hostname }} && echo "drain {{ inventory_hostname }}" >> log
          - id: enable
            delegate_to: lb
            shell: cd {{ lbdir }} && echo "enable {{ inventory_hostname }}" >> log
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    Inventory inv = InventoryLoader.load(dir.resolve("inv.yml"));
    Planner planner = new Planner(templates);
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("t");
    // when it runs
    RunResult first =
        execute(store, id, planner.plan(PlanInputs.of(pb, inv).runId(id).build()), false);
    // then t2 pauses at its drain, recorded under t2; lb was connected to once for the whole run
    assertEquals(RunStatus.PAUSED, first.status());
    assertEquals(List.of("t2: paused at step drain"), first.pausedHosts());
    RunState state = store.load(id);
    assertEquals(StepStatus.FAILED, state.checkpoint("t2", "drain").orElseThrow().status());
    assertEquals(StepStatus.SUCCEEDED, state.checkpoint("t1", "enable").orElseThrow().status());
    assertFalse(state.checkpoint("lb", "drain").isPresent(), "nothing is recorded for lb");
    assertEquals(1, opened.get("lb").get(), "one connection to the delegate: " + opened);
    assertFalse(Files.exists(localHome.resolve(".orchestrator/leases/lb.lock")), "released");
    // when the cause is fixed and the run resumed
    Files.delete(lbDir.resolve("fail-t2"));
    opened.clear();
    RunResult resumed =
        execute(
            store,
            id,
            planner.plan(PlanInputs.of(pb, inv).runId(id).state(store.load(id)).build()),
            true);
    // then t2 continues at its drain: every target is drained and enabled exactly once
    assertEquals(RunStatus.SUCCEEDED, resumed.status());
    List<String> log = Files.readAllLines(lbDir.resolve("log"));
    for (String t : List.of("t1", "t2", "t3")) {
      assertEquals(1, log.stream().filter(("drain " + t)::equals).count(), log.toString());
      assertEquals(1, log.stream().filter(("enable " + t)::equals).count(), log.toString());
    }
    assertEquals(Map.of("t2", 1, "lb", 1), plain(opened));
  }

  private static Map<String, Integer> plain(Map<String, AtomicInteger> counts) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
