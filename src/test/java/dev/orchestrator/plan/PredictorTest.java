package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner predicts each step with the values of the steps before it, and the host's planned
 * vars are what the run starts from: nothing a step still to run sets or registers.
 */
class PredictorTest {
  @TempDir Path dir;

  private PlannedHost plan(String playbook) throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n");
    Files.writeString(dir.resolve("pb.yml"), playbook);
    return new Planner(new TemplateEngine())
        .plan(
            PlanInputs.of(
                    new PlaybookLoader().load(dir.resolve("pb.yml")),
                    InventoryLoader.load(dir.resolve("inv.yml")))
                .build())
        .hosts()
        .findFirst()
        .orElseThrow();
  }

  private static List<String> predictions(PlannedHost h) {
    return h.steps().stream().map(s -> s.step().id() + ":" + s.prediction()).toList();
  }

  @Test
  void aSetFactsWhenReadsTheValuesBeforeIt() throws Exception {
    // given the finding's play: each set_fact's when reads what a set_fact sets
    PlannedHost h =
        plan(
            """
            hosts: all
            vars: {installed: false}
            steps:
              - {id: s1, set_fact: {marker: one}, when: not installed}
              - {id: s2, set_fact: {installed: true}, when: installed == false, register: r2}
              - {id: again, debug: {msg: x}, when: not installed}
            """);
    // when it is planned, then both set_facts run, and the step after the second is skipped
    assertEquals(List.of("s1:RUN", "s2:RUN", "again:SKIP"), predictions(h));
    // and the host starts from the play's value, without what the steps will set or register
    assertEquals(false, h.vars().get("installed"));
    assertFalse(h.vars().containsKey("marker"));
    assertFalse(h.vars().containsKey("r2"));
  }

  @Test
  void thePlannedVarsHoldNothingALaterStepSets() throws Exception {
    // given a fact set twice, a loop of set_facts, a skipped register and block vars
    PlannedHost h =
        plan(
            """
            hosts: all
            steps:
              - {id: one, set_fact: {v: first}}
              - {id: use, debug: {msg: x}, when: "v == 'first'"}
              - {id: two, set_fact: {v: second}}
              - {id: l, set_fact: {acc: "{{ item }}"}, loop: [a, b]}
              - {id: skipped, debug: {msg: x}, when: "1 == 2", register: r}
              - block:
                  - {id: in, debug: {msg: "{{ port }}"}}
                id: b
                vars: {port: 80}
            """);
    // when it is planned, then the step between is predicted from the first value
    assertEquals("use:RUN", predictions(h).get(1));
    // and none of those values is where the run starts
    for (String name : List.of("v", "acc", "r", "port", "item")) {
      assertFalse(h.vars().containsKey(name), name + " in " + h.vars().keySet());
    }
  }

  @Test
  void aDelegateASetFactNamesIsFoundAtRunTime() throws Exception {
    // given a delegate_to that names what a set_fact sets
    PlannedHost h =
        plan(
            """
            hosts: all
            steps:
              - {id: s, set_fact: {target: localhost}}
              - {id: d, debug: {msg: x}, delegate_to: "{{ target }}"}
            """);
    // when it is planned, then the delegate is left to the run, which knows the fact by then
    PlannedDelegate d = h.steps().get(1).delegate().orElseThrow();
    assertEquals("{{ target }}", d.template());
    assertFalse(d.name().isPresent());
  }
}
