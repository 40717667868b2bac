package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolesAndStepFilesTest {
  @TempDir Path dir;

  private void write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  private Playbook load(String yaml) throws IOException {
    write("pb.yml", yaml);
    return new PlaybookLoader().load(dir.resolve("pb.yml"));
  }

  private InputException error(String yaml) {
    return assertThrows(InputException.class, () -> load(yaml));
  }

  private static List<String> ids(List<Step> steps) {
    return steps.stream().map(Step::id).toList();
  }

  @Test
  void anImportedFileBecomesStepsWithTheIncludesWhenTagsAndVars() throws IOException {
    // given a step file imported with when, tags, vars and an id prefix
    write("tasks/drain.yml", "- id: off\n  shell: echo off\n  when: ready\n  tags: [lb]\n");
    Playbook pb =
        load(
            """
            steps:
              - id: first
                shell: echo 1
              - import_steps: tasks/drain.yml
                id: pre
                when: "{{ drain }}"
                tags: web
                vars: {port: 80}
            """);
    // then its step is in place, prefixed, with both conditions, both tags and the include's vars
    assertEquals(List.of("first", "pre.off"), ids(pb.steps()));
    Step off = pb.steps().get(1);
    assertEquals(Optional.of("(drain) and (ready)"), off.when());
    assertEquals(List.of("lb", "web"), off.traits().tags());
    assertEquals(Map.of("port", 80L), pb.reuse().scope(off).vars());
    assertEquals(dir.resolve("tasks/drain.yml"), off.location().file());
  }

  @Test
  void aNestedIncludeIsRelativeToItsFileAndInnerVarsWin() throws IOException {
    // given a.yml including sub/b.yml, which includes c.yml next to it
    write("a.yml", "- include_steps: sub/b.yml\n  vars: {x: inner, y: b}\n");
    write("sub/b.yml", "- import_steps: c.yml\n  vars: {x: innermost}\n");
    write("sub/c.yml", "- id: c\n  shell: echo {{ x }} {{ y }}\n");
    Playbook pb = load("vars: {x: play}\nsteps:\n  - import_steps: a.yml\n");
    // then the innermost include's value wins, the outer ones stay
    assertEquals(List.of("c"), ids(pb.steps()));
    assertEquals(Map.of("x", "innermost", "y", "b"), pb.reuse().scope(pb.steps().get(0)).vars());
  }

  @Test
  void aMissingStepFileIsReportedAtTheInclude() throws IOException {
    // when a step file does not exist
    InputException e = error("steps:\n  - id: a\n    shell: x\n  - import_steps: nope.yml\n");
    // then the include's line and column are named
    assertTrue(e.getMessage().contains("pb.yml:4:19"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void aFileThatIncludesItselfIsACycle() throws IOException {
    // given a.yml -> b.yml -> a.yml
    write("a.yml", "- import_steps: b.yml\n");
    write("b.yml", "- id: b\n  shell: x\n- import_steps: a.yml\n");
    InputException e = error("steps:\n  - import_steps: a.yml\n");
    // then the cycle is named, at the include that closes it, and where it was read from
    assertTrue(e.getMessage().contains("includes itself: a.yml -> b.yml -> a.yml"), e.getMessage());
    assertTrue(e.getMessage().contains("b.yml:3:"), e.getMessage());
    assertTrue(e.getMessage().contains("pb.yml:2:"), e.getMessage());
  }

  @Test
  void aFileImportedTwiceNeedsAnIdPrefix() throws IOException {
    // given the same file imported twice
    write("d.yml", "- id: drain\n  shell: x\n");
    InputException e = error("steps:\n  - import_steps: d.yml\n  - import_steps: d.yml\n");
    // then the second copy's id is a duplicate, and the hint says what to do
    assertTrue(e.getMessage().contains("duplicate step id 'drain'"), e.getMessage());
    assertTrue(e.hint().contains("'id:'"), e.hint());
    // when each import has its own id, both load
    Playbook pb =
        load(
            "steps:\n  - import_steps: d.yml\n    id: one\n  - import_steps: d.yml\n    id: two\n");
    assertEquals(List.of("one.drain", "two.drain"), ids(pb.steps()));
  }

  @Test
  void anIncludedIdThatCollidesWithAPlaybookStepIsADuplicate() throws IOException {
    // given an included step and a playbook step with the same id
    write("d.yml", "- id: a\n  shell: x\n");
    InputException e = error("steps:\n  - import_steps: d.yml\n  - id: a\n    shell: y\n");
    // then both places are named
    assertTrue(e.getMessage().contains("duplicate step id 'a'"), e.getMessage());
    assertTrue(e.getMessage().contains("d.yml:1:"), e.getMessage());
  }

  @Test
  void aStepFileNameMayUsePlaybookVarsButNotUnknownOnes() throws IOException {
    // given a templated name
    write("steps-debian.yml", "- id: d\n  shell: x\n");
    Playbook pb = load("vars: {os: debian}\nsteps:\n  - include_steps: \"steps-{{ os }}.yml\"\n");
    assertEquals(List.of("d"), ids(pb.steps()));
    // when the name uses a variable only the inventory or -e could give
    InputException e = error("steps:\n  - include_steps: \"steps-{{ nope }}.yml\"\n");
    // then it is refused when the playbook loads, saying why
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertTrue(e.hint().contains("not inventory vars or -e"), e.hint());
  }

  @Test
  void anIncludeInRollbackTakesNoVars() throws IOException {
    // given a rollback include with vars
    write("r.yml", "- id: undo\n  shell: x\n");
    InputException e =
        error(
            "steps:\n  - id: a\n    shell: x\nrollback:\n  - import_steps: r.yml\n    vars: {a: 1}\n");
    assertTrue(e.getMessage().contains("cannot have 'vars'"), e.getMessage());
    // then without vars it loads
    Playbook pb = load("steps:\n  - id: a\n    shell: x\nrollback:\n  - import_steps: r.yml\n");
    assertEquals(List.of("undo"), ids(pb.rollback()));
  }

  @Test
  void roleStepsComeFirstPrefixedWithTheRoleAndItsDependencies() throws IOException {
    // given a role web depending on role common, in Ansible's layout
    write("roles/common/tasks/main.yml", "- id: ntp\n  shell: echo ntp\n");
    write("roles/common/defaults/main.yml", "ntp_server: pool\n");
    write("roles/web/meta/main.yml", "galaxy_info: {author: me}\ndependencies: [common]\n");
    write(
        "roles/web/tasks/main.yaml",
        "- id: disable-lb\n  shell: echo off\n- import_steps: more.yml\n");
    write("roles/web/tasks/more.yml", "- id: restart\n  shell: echo restart\n");
    write("roles/web/vars/main.yml", "http_port: 80\n");
    write("roles/web/handlers/main.yml", "- id: restart\n  name: restart apache\n  shell: x\n");
    Playbook pb =
        load(
            """
            roles:
              - role: web
                vars: {http_port: 8080, tier: front}
                tags: [web]
            steps:
              - id: after
                shell: echo after
            """);
    // then the dependency's steps run first, then the role's, then the playbook's
    assertEquals(List.of("common.ntp", "web.disable-lb", "web.restart", "after"), ids(pb.steps()));
    assertEquals(
        List.of("common", "web"), pb.reuse().roles().stream().map(LoadedRole::name).toList());
    LoadedRole web = pb.reuse().role("web").orElseThrow();
    // the role's vars/main.yml is above its entry's vars, as Ansible 2.14 merges them
    assertEquals(Map.of("http_port", 80L, "tier", "front"), web.vars());
    assertEquals(Map.of("ntp_server", "pool"), pb.reuse().role("common").get().defaults());
    assertEquals(List.of(dir.resolve("roles/web/handlers/main.yml")), web.handlerFiles());
    assertEquals(List.of("web.restart"), pb.handlers().stream().map(Step::id).toList());
    assertEquals(List.of("web"), pb.steps().get(1).traits().tags());
    assertEquals(List.of(), pb.steps().get(0).traits().tags());
    assertEquals(Optional.of("web"), pb.reuse().scope(pb.steps().get(2)).role());
    assertEquals(dir.resolve("roles/web/tasks/more.yml"), pb.steps().get(2).location().file());
  }

  @Test
  void aMissingRoleARoleListedTwiceAndACycleAreRefused() throws IOException {
    // a role that is not there
    InputException missing = error("roles: [nope]\nsteps:\n  - id: a\n    shell: x\n");
    assertTrue(missing.getMessage().contains("pb.yml:1:9"), missing.getMessage());
    assertTrue(missing.getMessage().contains("role 'nope' not found"), missing.getMessage());
    // a role listed twice
    write("roles/a/tasks/main.yml", "- id: x\n  shell: x\n");
    InputException twice = error("roles: [a, a]\n");
    assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
    // roles depending on each other
    write("roles/b/meta/main.yml", "dependencies: [c]\n");
    write("roles/c/meta/main.yml", "dependencies:\n  - role: b\n");
    InputException cycle = error("roles: [b]\n");
    assertTrue(cycle.getMessage().contains("depends on itself: b -> c -> b"), cycle.getMessage());
    // a role name that cannot prefix a step id
    InputException upper = error("roles: [Web]\n");
    assertTrue(upper.getMessage().contains("invalid role name 'Web'"), upper.getMessage());
  }

  @Test
  void aRolesOnlyPlaybookNeedsNoStepsAndLongPrefixedIdsAreRefused() throws IOException {
    // given a playbook with a role and no steps of its own
    write("roles/a/tasks/main.yml", "- id: x\n  shell: x\n");
    assertEquals(List.of("a.x"), ids(load("roles: [a]\n").steps()));
    // when a role's name and a step's id together exceed the limit
    String longName = "r".repeat(64);
    write("roles/" + longName + "/tasks/main.yml", "- id: " + "s".repeat(64) + "\n  shell: x\n");
    InputException e = error("roles: [" + longName + "]\n");
    assertTrue(e.getMessage().contains("longer than " + Step.MAX_FULL_ID), e.getMessage());
  }

  @Test
  void varsFilesTakeTheFirstAlternativeThatExists() throws IOException {
    // given vars_files with a templated name and a list of alternatives
    write("vars/prod.yml", "a: 1\nb: from-prod\n");
    write("vars/common.yml", "b: from-common\n");
    Playbook pb =
        load(
            """
            vars: {env: prod}
            vars_files:
              - "vars/{{ env }}.yml"
              - [vars/missing.yml, vars/common.yml]
            steps:
              - id: a
                shell: x
            """);
    // then both are read in order, the later file's keys replacing the earlier's
    assertEquals(Map.of("a", 1L, "b", "from-common"), pb.varsAboveInventory(Map.of()));
    // and -e can choose the file
    write("vars/qa.yml", "a: 2\n");
    assertEquals(2L, pb.varsAboveInventory(Map.of("env", "qa")).get("a"));
    // when no alternative exists, the item's place is named
    InputException e =
        assertThrows(InputException.class, () -> pb.varsAboveInventory(Map.of("env", "nowhere")));
    assertTrue(e.getMessage().contains("pb.yml:3:5"), e.getMessage());
  }

  @Test
  void unknownKeysOfAnIncludeAreErrors() throws IOException {
    write("d.yml", "- id: a\n  shell: x\n");
    InputException e = error("steps:\n  - import_steps: d.yml\n    shell: echo\n");
    assertTrue(e.getMessage().contains("shell"), e.getMessage());
  }

  @Test
  void theRollingRestartExampleLoads() {
    // when the example in playbooks/ is loaded
    Playbook pb = new PlaybookLoader().load(Path.of("playbooks/rolling-restart.yml"));
    // then its role's steps come first, prefixed, the step file twice under its two ids
    assertEquals(
        List.of("common.prepare", "web.drain.mark", "web.restart", "web.undrain.mark", "report"),
        ids(pb.steps()));
    assertEquals(Map.of("state", "serving"), pb.reuse().scope(pb.steps().get(3)).vars());
  }

  @Test
  void stepFilesNestedThousandsDeepAreRefusedAtAnInclude() throws IOException {
    // given 3,000 step files each including the next (an attack on issue 24: validate ended with
    // a StackOverflowError and exit 1)
    for (int i = 0; i < 3000; i++) {
      write("d" + i + ".yml", "- include_steps: d" + (i + 1) + ".yml\n");
    }
    write("d3000.yml", "- id: x\n  shell: echo\n");

    // when loaded, then refused as an input error naming the depth
    InputException e = error("steps:\n  - include_steps: d0.yml\n");
    assertTrue(e.getMessage().contains("more than 100 deep"), e.getMessage());
  }

  @Test
  void anErrorNinetyNineIncludesDeepNamesTheNearestAndOutermostIncludesOnly() throws IOException {
    // given 99 step files each including the next, the last with a bad step
    for (int i = 0; i < 98; i++) {
      write("c" + i + ".yml", "- include_steps: c" + (i + 1) + ".yml\n");
    }
    write("c98.yml", "- id: x\n  shel: echo\n");

    // when loaded
    InputException e = error("steps:\n  - include_steps: c0.yml\n");

    // then the error names the nearest includes and the outermost one, and counts the rest
    String m = e.getMessage();
    assertTrue(m.contains("c98.yml"), m);
    assertTrue(m.contains("(read from the include at " + dir.resolve("c97.yml")), m);
    assertTrue(m.contains(", … 94 more …, " + dir.resolve("pb.yml")), m);
    assertEquals(1, m.split("read from the include", -1).length - 1, m);
    assertTrue(m.length() < 1000, m);
    assertFalse(m.contains("\n"), m);
  }

  @Test
  void aStepFileThatIsNoRegularFileIsRefusedAsSuch() throws IOException {
    // given an include of a folder
    Files.createDirectories(dir.resolve("adir.yml"));

    // when loaded, then refused: it exists, but is no file of steps
    InputException e = error("steps:\n  - import_steps: adir.yml\n");
    assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
  }

  @Test
  void rolesDependingOnEachOtherThousandsDeepAreRefused() throws IOException {
    // given 3,000 roles each depending on the next (an attack on issue 24: StackOverflowError)
    for (int i = 0; i < 3000; i++) {
      write("roles/r" + i + "/tasks/main.yml", "- id: s\n  shell: echo\n");
      write("roles/r" + i + "/meta/main.yml", "dependencies: [r" + (i + 1) + "]\n");
    }
    write("roles/r3000/tasks/main.yml", "- id: s\n  shell: echo\n");

    // when loaded, then refused as an input error naming the depth
    InputException e = error("roles: [r0]\nsteps: []\n");
    assertTrue(e.getMessage().contains("more than 100 deep"), e.getMessage());
  }
}
