package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.state.Checkpoint;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loops in the plan: one line per item known before the run, run? for a registered list. */
class LoopPlanTest {
  @TempDir Path dir;
  private Inventory inventory;
  private final Planner planner = new Planner(new TemplateEngine());

  @BeforeEach
  void inventory() throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {lbs: [lb1, lb2, lb3]}\n");
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
  }

  private Playbook playbook(String steps) throws IOException {
    Files.writeString(dir.resolve("pb.yml"), "hosts: all\nsteps:\n" + steps);
    return new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  private PlannedHost host(Playbook pb, Optional<RunState> state) {
    return planner
        .plan(PlanInputs.of(pb, inventory).state(state).build())
        .hosts()
        .findFirst()
        .get();
  }

  private static List<String> ids(PlannedHost h) {
    return h.steps().stream().map(s -> s.step().id() + ":" + s.prediction()).toList();
  }

  @Test
  void aListKnownBeforeTheRunIsOneLinePerItemWithItsOwnWhen() throws IOException {
    // given a loop over an inventory list, skipping one item, and a step reading its results
    Playbook pb =
        playbook(
            """
              - id: drain
                shell: echo {{ item }} {{ i }}
                loop: "{{ lbs }}"
                loop_control: {index_var: i}
                when: item != 'lb2'
                register: r
              - {id: after, shell: "echo {{ r.results | length }}"}
            """);

    // when planned
    PlannedHost h = host(pb, Optional.empty());

    // then each item is a line, lb2 skipped, and the step after it waits for the run's results
    assertEquals(
        List.of("drain[lb1]:RUN", "drain[lb2]:SKIP", "drain[lb3]:RUN", "after:DECIDED_AT_RUN_TIME"),
        ids(h));
    assertEquals(Optional.of("echo lb3 2"), h.steps().get(2).command());
    assertEquals("lb3", h.steps().get(2).overrides().get("item"));
    assertEquals("item", h.steps().get(2).overrides().get("ansible_loop_var"));
  }

  @Test
  void aListFromARegisteredValueIsDecidedAtRunTimeAndAnEmptyListIsOneSkip() throws IOException {
    // given a loop over lines a step registers, and a loop over an empty list
    Playbook pb =
        playbook(
            """
              - {id: list, shell: "ls", register: listed}
              - id: each
                shell: echo {{ item }}
                with_items: "{{ listed.stdout_lines }}"
              - id: none
                shell: echo {{ item }}
                loop: []
                register: n
              - {id: after, shell: "echo {{ n.skipped }} {{ n.results | length }}"}
            """);

    // when planned
    PlannedHost h = host(pb, Optional.empty());

    // then
    assertEquals(List.of("list:RUN", "each:DECIDED_AT_RUN_TIME", "none:SKIP", "after:RUN"), ids(h));
    assertTrue(h.steps().get(1).reason().startsWith("items decided at run time"));
    assertEquals(Optional.of("echo true 0"), h.steps().get(3).command());
  }

  @Test
  void aResumedLoopKeepsDoneItemsAndRefusesAListThatDropsAFailedOne() throws IOException {
    // given item lb1 done and item lb2 failed
    Playbook pb =
        playbook(
            """
              - id: drain
                shell: echo {{ item }}
                loop: "{{ lbs }}"
                register: r
              - {id: after, shell: "echo {{ r.results | length }}"}
            """);
    Instant t = Instant.parse("2026-12-07T10:00:00Z");
    Map<String, Checkpoint> cps = new LinkedHashMap<>();
    cps.put(
        "drain[lb1]",
        TestCheckpoints.of(
            "h1", "drain[lb1]", StepStatus.SUCCEEDED, 1, t, t, 0, "", Map.of("rc", 0), ""));
    cps.put(
        "drain[lb2]",
        TestCheckpoints.of(
            "h1", "drain[lb2]", StepStatus.FAILED, 1, t, t, 1, "exit code 1", Map.of(), ""));
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
            Map.of("h1", cps),
            Map.of(),
            Map.of(),
            Map.of(),
            0);

    // when planned against the run
    PlannedHost h = host(pb, Optional.of(state));

    // then lb1 is done (its recorded result carried for the run), lb2 retried, lb3 to run
    assertEquals(
        List.of(
            "drain[lb1]:DONE", "drain[lb2]:RETRY", "drain[lb3]:RUN", "after:DECIDED_AT_RUN_TIME"),
        ids(h));
    assertEquals(Map.of("rc", 0), h.steps().get(0).overrides().get("r"));

    // when the list no longer has the failed item, then the plan refuses and says what to do
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {lbs: [lb1, lb3]}\n");
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
    InputException e = assertThrows(InputException.class, () -> host(pb, Optional.of(state)));
    assertTrue(e.getMessage().contains("drain[lb2] (failed) is no longer in it"), e.getMessage());
    assertTrue(e.hint().contains("--skip-step 'drain[lb2]'"), e.hint());
  }

  @Test
  void labelsAreKeptWhenPlainAndOtherwiseCleanedWithAHashOfTheText() {
    // given plain, hostile and duplicate item texts; when labelled; then
    assertEquals("web01.example.com", LoopItems.label("web01.example.com"));
    String hostile = LoopItems.label("../../etc/passwd; rm -rf /");
    assertTrue(hostile.matches("\\.\\._\\.\\._etc_passwd_rm_-rf_~[0-9a-f]{8}"), hostile);
    assertEquals(hostile, LoopItems.label("../../etc/passwd; rm -rf /"), "stable");
    String longText = "x".repeat(5000);
    assertEquals(49, LoopItems.label(longText).length());
    assertTrue(Step.ITEM_LABEL.matcher(LoopItems.label("")).matches());
  }

  @Test
  void duplicateLabelsGetTheirOccurrenceAndWithItemsFlattensOneLevel() throws IOException {
    // given duplicates and nested lists
    Playbook pb =
        playbook(
            """
              - id: each
                shell: echo {{ item }}
                with_items: [a, [b, a], [[c]]]
            """);

    // when planned; then
    assertEquals(
        List.of(
            "each[a]:RUN", "each[b]:RUN", "each[a~2]:RUN", "each[_c_~" + hash("[\"c\"]") + "]:RUN"),
        ids(host(pb, Optional.empty())));
  }

  private static String hash(String text) {
    return LoopItems.label(text).substring(LoopItems.label(text).indexOf('~') + 1);
  }

  @Test
  void anItemThatHoldsASecretIsNotNamedByIt() throws IOException {
    // given items and a label that show a secret var, as it is or transformed (an attack on
    // issue 24's loops: l[S3cr3tPW] stood in the console, the journal, the events, the report and
    // the log file names)
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    h1: {db_password: S3cr3tPW, api: {token: Tok3nXYZ}}\n");
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
    Playbook pb =
        playbook(
            "  - id: l\n    shell: echo {{ item }}\n"
                + "    loop: [ok, '{{ db_password }}', '{{ db_password | upper }}',"
                + " '{{ api.token }}', '{{ api }}']\n"
                + "  - id: m\n    shell: echo {{ item }}\n    loop: [a, b]\n"
                + "    loop_control: {label: '{{ item }}-{{ db_password[:3] }}'}\n");

    // when planned
    List<String> ids = ids(host(pb, Optional.empty()));

    // then no id shows the secret or a part of it; the others keep their labels
    for (String id : ids) {
      for (String secret : List.of("S3cr3tPW", "S3CR3TPW", "Tok3nXYZ", "S3c")) {
        assertFalse(id.contains(secret), id);
      }
    }
    assertTrue(ids.get(0).startsWith("l[ok]"), ids.toString());
    assertEquals(7, ids.stream().distinct().count(), ids.toString());
  }

  @Test
  void secretItemsAreMatchedByPositionWhenTheSecretListChangesOnResume() throws IOException {
    // given a loop over items derived from a secret, labelled by position: the first done, the
    // second failed
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {db_password: Old1}\n");
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));
    Playbook pb =
        playbook(
            "  - id: l\n    shell: echo {{ item }}\n"
                + "    loop: ['{{ db_password }}-a', '{{ db_password }}-b', '{{ db_password }}-c']\n");
    List<String> before = ids(host(pb, Optional.empty()));
    assertEquals(List.of("l[item~s1]:RUN", "l[item~s2]:RUN", "l[item~s3]:RUN"), before);
    Instant t = Instant.parse("2026-12-07T10:00:00Z");
    Map<String, Checkpoint> cps = new LinkedHashMap<>();
    cps.put(
        "l[item~s1]",
        TestCheckpoints.of("h1", "l[item~s1]", StepStatus.SUCCEEDED, 1, t, t, 0, "", Map.of(), ""));
    cps.put(
        "l[item~s2]",
        TestCheckpoints.of(
            "h1", "l[item~s2]", StepStatus.FAILED, 1, t, t, 1, "exit 1", Map.of(), ""));
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
            Map.of("h1", cps),
            Map.of(),
            Map.of(),
            Map.of(),
            0);

    // when the secret changed before the resume (same number of items)
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {db_password: New2}\n");
    inventory = InventoryLoader.load(dir.resolve("inv.yml"));

    // then items are matched by position (README "Loops"): the first stays done although its value
    // changed, the second is retried with its new value, the third runs
    assertEquals(
        List.of("l[item~s1]:DONE", "l[item~s2]:RETRY", "l[item~s3]:RUN"),
        ids(host(pb, Optional.of(state))));

    // when the list no longer has the failed position, then the resume is refused, naming it
    Playbook shorter =
        playbook("  - id: l\n    shell: echo {{ item }}\n    loop: ['{{ db_password }}-a']\n");
    InputException e = assertThrows(InputException.class, () -> host(shorter, Optional.of(state)));
    assertTrue(e.getMessage().contains("l[item~s2] (failed) is no longer in it"), e.getMessage());
  }
}
