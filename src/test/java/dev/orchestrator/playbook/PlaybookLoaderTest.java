package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {
  @TempDir Path dir;

  private Playbook load(String yaml) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, yaml);
    return new PlaybookLoader().load(file);
  }

  private InputException error(String yaml) {
    return assertThrows(InputException.class, () -> load(yaml));
  }

  @Test
  void loadsStagesStepsAndPolicies() throws IOException {
    // given a playbook using every step key
    Playbook pb =
        load(
            """
        name: upd
        vars: {target: "28.0.1", n: 3}
        stages:
          - name: qa
            hosts: qa
            serial: 1
          - name: prod
            hosts: production:!canary
            serial: [1, "10%", "50%"]
            max_fail_percentage: 25
        steps:
          - id: check
            name: Check
            shell: echo hi
            when: "target != ''"
            creates: /tmp/x
            timeout: 10m
            retries: 2
            delay: 3s
            register: out
            become: true
            become_user: www-data
            environment: {LANG: C}
        rollback:
          - id: undo
            shell: echo undo
        """);
    // then every value is bound
    assertEquals("upd", pb.name());
    assertEquals(Map.of("target", "28.0.1", "n", 3L), pb.vars());
    assertEquals(2, pb.stages().size());
    Stage prod = pb.stages().get(1);
    assertEquals("production:!canary", prod.hosts());
    assertEquals(
        List.of(new BatchSize(1, false), new BatchSize(10, true), new BatchSize(50, true)),
        prod.serial());
    assertEquals(25, prod.maxFailPercentage());
    Step s = pb.steps().get(0);
    assertEquals(Optional.of(Duration.ofMinutes(10)), s.timeout());
    assertEquals(2, s.retries());
    assertEquals(Duration.ofSeconds(3), s.delay());
    assertEquals(Optional.of("out"), s.register());
    assertTrue(s.become());
    assertEquals("www-data", s.becomeUser());
    assertEquals(Map.of("LANG", "C"), s.environment());
    assertEquals(12, s.location().line());
    assertEquals("undo", pb.rollback().get(0).id());
  }

  @Test
  void withoutStagesOneStageOverTopLevelHostsInOneBatch() throws IOException {
    Playbook pb = load("hosts: web\nsteps:\n  - id: a\n    shell: 'true'\n");
    assertEquals(1, pb.stages().size());
    assertEquals("web", pb.stages().get(0).hosts());
    assertEquals(List.of(BatchSize.ALL), pb.stages().get(0).serial());
    assertEquals("pb", pb.name());
  }

  @Test
  void unknownKeyIsAnErrorWithPositionAndSuggestion() {
    InputException e = error("steps:\n  - id: a\n    shel: echo\n");
    assertTrue(
        e.getMessage().startsWith(dir.resolve("pb.yml") + ":3:5: unknown key 'shel' in a step"),
        e.getMessage());
    assertTrue(e.hint().startsWith("did you mean 'shell'?"), e.hint());
  }

  @Test
  void unknownTopLevelKeyIsAnError() {
    InputException e = error("steps:\n  - id: a\n    shell: x\ntasks: []\n");
    assertTrue(
        e.getMessage().contains(":4:1: unknown key 'tasks' in the playbook"), e.getMessage());
  }

  @Test
  void duplicateKeyNamesTheFirstLine() {
    InputException e = error("steps:\n  - id: a\n    shell: x\n    shell: y\n");
    assertTrue(e.getMessage().contains(":4:5: duplicate key 'shell'"), e.getMessage());
    assertTrue(e.getMessage().contains("first defined at line 3"), e.getMessage());
  }

  @Test
  void duplicateStepIdsAreRejected() {
    InputException e = error("steps:\n  - id: a\n    shell: x\n  - id: a\n    shell: y\n");
    assertTrue(
        e.getMessage().contains(":4:9: duplicate step id 'a' (first at line 2)"), e.getMessage());
  }

  @Test
  void rollbackIdsMustNotReuseStepIds() {
    InputException e =
        error("steps:\n  - id: a\n    shell: x\nrollback:\n  - id: a\n    shell: y\n");
    assertTrue(
        e.getMessage().contains("duplicate step id 'a' (already used in 'steps')"), e.getMessage());
  }

  @Test
  void wrongTypeNamesTheKey() {
    InputException e = error("steps:\n  - id: a\n    shell: x\n    retries: many\n");
    assertTrue(
        e.getMessage().contains(":4:14: 'retries' must be an integer, found 'many'"),
        e.getMessage());
  }

  @Test
  void retriesAreBounded() {
    // given a step with a billion retries; when it loads; then it is refused at its position
    InputException e = error("steps:\n  - id: a\n    shell: x\n    retries: 1000000000\n");
    assertTrue(
        e.getMessage().contains(":4:14: 'retries' must be 0 to 100, found 1000000000"),
        e.getMessage());
  }

  @Test
  void serialZeroAndAbove100PercentAreRejected() {
    String head = "stages:\n  - name: s\n    hosts: all\n    serial: ";
    String steps = "\nsteps:\n  - id: a\n    shell: x\n";
    assertTrue(
        error(head + "0" + steps)
            .getMessage()
            .contains(":4:13: 'serial' must be at least 1, got 0"));
    assertTrue(
        error(head + "\"150%\"" + steps)
            .getMessage()
            .contains("'serial' must be between 1% and 100%, found 150%"));
  }

  @Test
  void templateSyntaxErrorIsReportedAtLoad() {
    InputException e = error("steps:\n  - id: a\n    shell: \"echo {{ x | }}\"\n");
    assertTrue(e.getMessage().contains(":3:12: step 'a', 'shell': template error"), e.getMessage());
  }

  @Test
  void missingShellIsNamed() {
    InputException e = error("steps:\n  - id: a\n    name: no command\n");
    assertTrue(
        e.getMessage().contains(":2:5: missing required key 'shell' in a step"), e.getMessage());
  }

  @Test
  void yamlSyntaxErrorHasPosition() {
    InputException e = error("steps:\n  - id: a\n   shell: [x\n");
    assertTrue(
        e.getMessage().matches(".*pb\\.yml:\\d+:\\d+: YAML syntax error: .*"), e.getMessage());
  }

  @Test
  void invalidStepIdAndDurationAreExplained() {
    assertTrue(
        error("steps:\n  - id: Bad Id\n    shell: x\n")
            .getMessage()
            .contains("invalid step id 'Bad Id'"));
    assertTrue(
        error("steps:\n  - id: a\n    shell: x\n    timeout: soon\n")
            .getMessage()
            .contains("invalid 'timeout'"));
  }

  @Test
  void missingFileSaysSo() {
    InputException e =
        assertThrows(
            InputException.class, () -> new PlaybookLoader().load(dir.resolve("nope.yml")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void shippedNextcloudPlaybookLoads() {
    Playbook pb = new PlaybookLoader().load(Path.of("playbooks/nextcloud-update.yml"));
    assertEquals(List.of("qa", "production"), pb.stages().stream().map(Stage::name).toList());
    assertTrue(pb.steps().stream().anyMatch(s -> s.id().equals("upgrade")));
    assertTrue(pb.rollback().size() >= 2);
  }

  @Test
  void gatesAndLifecyclesLoad() throws IOException {
    Playbook pb =
        load(
            """
            stages:
              - name: qa
                hosts: qa
              - name: production
                hosts: production
                serial: [1, "50%"]
                any_errors_fatal: true
                gates:
                  - health: {url: "http://{{ inventory_hostname }}/status.php", json: {maintenance: false}}
                  - approval: QA ok?
                batch_gates:
                  - health: {shell: "true", timeout: 1m, interval: 2s}
                  - wait: 10m
            steps:
              - id: read
                shell: cat /etc/hostname
                register: out
                check: true
              - id: slow
                shell: reindex
                deferred: true
                expensive: true
                tags: [db, slow]
                rollback_from: true
            """);
    Stage prod = pb.stages().get(1);
    assertTrue(prod.anyErrorsFatal());
    Gate.Health health = (Gate.Health) prod.gates().get(0);
    assertEquals(Optional.of("http://{{ inventory_hostname }}/status.php"), health.url());
    assertEquals(200, health.status());
    assertEquals(Map.of("maintenance", false), health.json());
    assertEquals("QA ok?", ((Gate.Approval) prod.gates().get(1)).message());
    assertEquals(Duration.ofSeconds(2), ((Gate.Health) prod.batchGates().get(0)).interval());
    assertEquals("10m", ((Gate.Wait) prod.batchGates().get(1)).duration());
    assertEquals(
        Optional.of("cat /etc/hostname"),
        pb.steps().get(0).traits().check(),
        "check: true probes with the step's own command");
    StepTraits slow = pb.steps().get(1).traits();
    assertTrue(slow.deferred() && slow.expensive() && slow.rollbackFrom());
    assertEquals(List.of("db", "slow"), slow.tags());
  }

  @Test
  void badGatesAreExplained() {
    String head = "stages:\n  - name: s\n    hosts: all\n    gates:\n";
    String steps = "steps:\n  - id: a\n    shell: x\n";
    assertTrue(
        error(head + "      - approve: yes\n" + steps)
            .getMessage()
            .contains("unknown key 'approve' in a gate"));
    assertTrue(
        error(head + "      - health: {status: 200}\n" + steps)
            .getMessage()
            .contains("a health gate needs either 'url' or 'shell'"));
    assertTrue(
        error(head + "      - wait: soon\n" + steps).getMessage().contains("invalid 'wait'"));
    assertTrue(
        error(head + "      - {approval: x, wait: 1m}\n" + steps)
            .getMessage()
            .contains("a gate has exactly one of"));
  }

  @Test
  void theStepHashChangesWithTheCommandOnly() throws IOException {
    String a =
        load("steps:\n  - id: a\n    name: one\n    shell: echo 1\n")
            .steps()
            .get(0)
            .definitionHash();
    String renamed =
        load("steps:\n  - id: a\n    name: two\n    shell: echo 1\n")
            .steps()
            .get(0)
            .definitionHash();
    String edited =
        load("steps:\n  - id: a\n    name: one\n    shell: echo 2\n")
            .steps()
            .get(0)
            .definitionHash();
    assertEquals(a, renamed);
    assertTrue(!a.equals(edited));
  }
}
