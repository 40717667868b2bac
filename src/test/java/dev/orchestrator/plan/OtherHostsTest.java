package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.state.Checkpoint;
import dev.orchestrator.state.RunState;
import dev.orchestrator.state.StepStatus;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the plan knows of other hosts' registered values and facts in hostvars: their shape before
 * they are recorded, their value once they are, and facts delegated to the delegate.
 */
class OtherHostsTest {
  @TempDir Path dir;

  private Playbook playbook(String peek) throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    web1:\n    web2:\n    lb:\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        stages:
          - {name: web, hosts: "web1,web2", serial: 1}
        gather_facts: false
        steps:
          - {id: version, register: v, shell: echo 1}
          - id: seen
            delegate_to: lb
            delegate_facts: true
            set_fact: {last_web: "{{ inventory_hostname }}"}
          - {id: peek, shell: "%s"}
        """
            .formatted(peek));
    return new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  private Plan plan(Playbook pb, Optional<RunState> state) throws IOException {
    Inventory inv = InventoryLoader.load(dir.resolve("inv.yml"));
    return new Planner(new TemplateEngine())
        .plan(PlanInputs.of(pb, inv).runId("r").state(state).build());
  }

  private static PlannedStep peek(Plan plan, String host) {
    return plan.hosts()
        .filter(h -> h.host().name().equals(host))
        .findFirst()
        .orElseThrow()
        .steps()
        .get(2);
  }

  @Test
  void anotherHostsValueIsKnownAtRunTimeUntilRecordedThenKnown() throws IOException {
    // given web2 reads web1's registered value and the fact delegated to lb
    Playbook pb = playbook("echo {{ hostvars['web1'].v.stdout }} {{ hostvars['lb'].last_web }}");
    // when planned before anything ran, then it is decided at run time, not an error
    assertEquals(
        Prediction.DECIDED_AT_RUN_TIME, peek(plan(pb, Optional.empty()), "web2").prediction());
    // when planned against a run where web1 did both steps
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    dev.orchestrator.state.RunStore store =
        new dev.orchestrator.state.RunStore(dir.resolve("state"));
    try (dev.orchestrator.state.RunJournal journal =
        store.create(
            "r",
            "t",
            dev.orchestrator.state.TestRunSpecs.of(
                "p",
                "i",
                Map.of(),
                java.util.List.of(),
                Optional.empty(),
                1,
                Optional.empty(),
                false))) {
      journal.record(
          new Checkpoint(
              "web1",
              "version",
              StepStatus.SUCCEEDED,
              1,
              t,
              t,
              0,
              "",
              Map.of("stdout", "7", "rc", 0),
              "",
              ""));
      journal.record(
          new Checkpoint(
              "web1",
              "seen",
              StepStatus.SUCCEEDED,
              1,
              t,
              t,
              0,
              "",
              Map.of(
                  "ansible_facts",
                  Map.of("last_web", "web1"),
                  OtherHosts.DELEGATED_VARS,
                  Map.of(OtherHosts.DELEGATED_HOST, "lb")),
              "",
              ""));
    }
    RunState state = store.load("r");
    // then web2's command is known, with web1's value and lb's fact
    assertEquals(Optional.of("echo 7 web1"), peek(plan(pb, Optional.of(state)), "web2").command());
  }

  @Test
  void aDelegatedFactIsNotTheTargetsAndAMisspeltKeyIsRefused() throws IOException {
    // given a host reads its own copy of a delegated fact, and another a key v will never have
    Playbook own = playbook("echo {{ last_web | default('none') }}");
    Playbook typo = playbook("echo {{ hostvars['web1'].v.stdot }}");
    // then the delegated fact is not the host's own, and the typo is refused before the run
    assertEquals(Optional.of("echo none"), peek(plan(own, Optional.empty()), "web1").command());
    InputException e = assertThrows(InputException.class, () -> plan(typo, Optional.empty()));
    assertTrue(e.getMessage().contains("stdot"), e.getMessage());
  }
}
