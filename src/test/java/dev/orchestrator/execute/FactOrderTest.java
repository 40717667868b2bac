package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.plan.PlannedHost;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step sees the values of the steps before it only, as in Ansible's linear strategy: what the
 * plan predicts a later {@code set_fact} (or {@code register}, loop, block vars) sets is not there
 * when an earlier step runs, and the plan and the run decide each {@code when:} the same way.
 */
class FactOrderTest {
  @TempDir Path dir;
  private ControllerRun host;

  @BeforeEach
  void open() throws Exception {
    host = new ControllerRun(dir);
  }

  @AfterEach
  void close() throws Exception {
    host.close();
  }

  PlannedHost plan(String playbook) throws Exception {
    return host.plan(playbook);
  }

  HostOutcome run(PlannedHost planned) {
    return host.run(planned);
  }

  Map<String, String> ended() throws Exception {
    return host.ended();
  }

  static Map<String, String> predicted(PlannedHost planned) {
    return ControllerRun.predicted(planned);
  }

  @Test
  void aLaterSetFactIsNotSeenByAnEarlierWhen() throws Exception {
    // given the finding's play: each set_fact's when reads what a set_fact sets
    String pb =
        """
        hosts: all
        vars: {installed: false}
        steps:
          - {id: s1, set_fact: {marker: one}, when: not installed}
          - {id: s2, set_fact: {installed: true}, when: installed == false, register: r2}
          - id: show
            register: shown
            debug: {msg: "installed={{ installed }} marker={{ marker | default('unset') }} r2skipped={{ r2 is skipped }}"}
        """;
    // when it is planned and run
    PlannedHost planned = plan(pb);
    HostOutcome outcome = run(planned);
    // then both set_facts run (as ansible-playbook 2.14 does), as the plan predicted (a boolean
    // in a text is printed true, where Ansible prints True: README "Templates")
    assertEquals(new HostOutcome.Done("h1"), outcome);
    assertEquals(Map.of("s1", "RUN", "s2", "RUN", "show", "RUN"), predicted(planned));
    assertEquals(
        Map.of(
            "s1", "SUCCEEDED",
            "s2", "SUCCEEDED",
            "show", "SUCCEEDED=installed=true marker=one r2skipped=false"),
        ended());
  }

  @Test
  void aLaterRegisterIsNotSeenByAnEarlierStep() throws Exception {
    // given a step before the one that registers r (skipped: its result is known to the plan)
    String pb =
        """
        hosts: all
        steps:
          - {id: before, debug: {msg: "{{ r is defined }}"}, register: before}
          - {id: s, set_fact: {x: 1}, when: "1 == 2", register: r}
          - {id: after, debug: {msg: "{{ r is skipped }}"}, register: after}
        """;
    // when it runs
    PlannedHost planned = plan(pb);
    run(planned);
    // then r is undefined before its step, and the skipped result after it
    assertEquals(
        Map.of("before", "SUCCEEDED=false", "s", "SKIPPED", "after", "SUCCEEDED=true"), ended());
    assertEquals(false, planned.vars().containsKey("r"));
  }

  @Test
  void aLoopOfSetFactsIsSeenAfterItOnly() throws Exception {
    // given a step before a loop that sets acc for each item, and one after it
    String pb =
        """
        hosts: all
        steps:
          - {id: before, debug: {msg: "{{ acc | default('none') }}"}, register: before}
          - {id: l, set_fact: {acc: "{{ item }}"}, loop: [a, b]}
          - {id: after, debug: {msg: "{{ acc }}"}, register: after}
        """;
    // when it runs
    run(plan(pb));
    // then the step before sees no acc, the step after the last item's
    Map<String, String> ended = ended();
    assertEquals("SUCCEEDED=none", ended.get("before"));
    assertEquals("SUCCEEDED=b", ended.get("after"));
  }

  @Test
  void blockVarsAreNotSeenBeforeTheBlock() throws Exception {
    // given a step before a block whose vars set port
    String pb =
        """
        hosts: all
        steps:
          - {id: before, debug: {msg: "{{ port | default('none') }}"}, register: before}
          - block:
              - {id: in, debug: {msg: "{{ port }}"}, register: in}
            id: b
            vars: {port: 80}
        """;
    // when it runs
    run(plan(pb));
    // then the step before the block does not see the block's vars
    Map<String, String> ended = ended();
    assertEquals("SUCCEEDED=none", ended.get("before"));
    assertEquals("SUCCEEDED=80", ended.get("b.in"));
  }
}
