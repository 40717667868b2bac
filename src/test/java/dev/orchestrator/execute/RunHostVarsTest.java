package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.plan.PlanInputs;
import dev.orchestrator.plan.Planner;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.RunJournal;
import dev.orchestrator.state.RunStatus;
import dev.orchestrator.state.RunStore;
import dev.orchestrator.state.TestRunSpecs;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.transport.local.LocalConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hostvars of other hosts at run time: their registered values and the facts delegated to them
 * (delegate_facts), read from the run's state so that a resume sees them; their gathered facts once
 * gathered in the execution.
 */
class RunHostVarsTest {
  @TempDir Path dir;
  @TempDir Path localHome;

  private final TemplateEngine templates = new TemplateEngine();

  private RunResult execute(RunStore store, String id, Playbook pb, boolean resumed)
      throws Exception {
    Inventory inv = InventoryLoader.load(dir.resolve("inv.yml"));
    PlanInputs input = PlanInputs.of(pb, inv).runId(id);
    if (resumed) {
      input = input.state(store.load(id));
    }
    try (RunJournal journal =
        resumed
            ? store.open(id)
            : store.create(
                id,
                "t",
                TestRunSpecs.of(
                    "p", "i", Map.of(), List.of(), Optional.empty(), 3, Optional.empty(), false))) {
      return new RunExecutor(
              new LocalConnector(localHome),
              e -> {},
              templates,
              TestEngineSettings.defaults(3, RunExecutor.NextCommands.same("resume " + id)))
          .execute(new Planner(templates).plan(input.build()), journal, resumed);
    }
  }

  @Test
  void registeredValuesAndDelegatedFactsOfOtherHostsAreThereOnceRecordedAndAfterAResume()
      throws Exception {
    // given t1 then t2 (one batch each): each registers v and sets a fact delegated to lb, then
    // reads t1's v, lb's fact, its own (absent) copy of it and whether t1's facts are there;
    // t2's read fails the first time
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    t1: {connection: local}\n    t2: {connection: local}\n"
            + "    lb: {connection: local}\n  vars:\n    d: "
            + dir
            + "\n");
    Files.writeString(dir.resolve("fail-t2"), "");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        stages:
          - {name: web, hosts: "t1,t2", serial: 1}
        steps:
          - id: version
            register: v
            shell: echo "v-{{ inventory_hostname }}"
          - id: seen
            delegate_to: lb
            delegate_facts: true
            set_fact: {last_web: "{{ inventory_hostname }}"}
          - id: peek
            shell: >-
              test ! -e {{ d }}/fail-{{ inventory_hostname }} &&
              echo "{{ inventory_hostname }} {{ hostvars['t1'].v.stdout }}
              {{ hostvars['lb'].last_web }} {{ last_web | default('none') }}
              {{ 'facts' if hostvars['t1'].ansible_hostname is defined else 'nofacts' }}" >> {{ d }}/peek
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("pb.yml"));
    RunStore store = new RunStore(dir.resolve("state"));
    String id = RunStore.newRunId("t");
    // when it runs
    RunResult first = execute(store, id, pb, false);
    // then t1 read its own value and the fact it delegated to lb, not its own copy
    assertEquals(RunStatus.PAUSED, first.status());
    assertEquals(List.of("t1 v-t1 t1 none facts"), Files.readAllLines(dir.resolve("peek")));
    // when t2's cause is fixed and the run resumed (a new execution: nothing from memory)
    Files.delete(dir.resolve("fail-t2"));
    RunResult resumed = execute(store, id, pb, true);
    // then t2 read t1's value and lb's latest fact from the run's state, and t1's facts, gathered
    // again in this execution although t1 had nothing left to do (DoneHostFacts: a resume never
    // acts on facts from before the pause, and never lacks them either)
    assertEquals(RunStatus.SUCCEEDED, resumed.status());
    List<String> peek = Files.readAllLines(dir.resolve("peek"));
    assertEquals("t2 v-t1 t2 none facts", peek.get(1));
  }
}
