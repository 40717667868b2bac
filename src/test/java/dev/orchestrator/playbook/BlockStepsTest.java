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

/** How {@code block:} entries are read (README "Blocks"). */
class BlockStepsTest {
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

  private Step step(Playbook pb, String id) {
    return pb.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void aBlocksStepsKeepTheirSectionsAndTheBlocksIdPrefixesThem() throws IOException {
    // given a block with an id, its three sections, and a nested block without id
    Playbook pb =
        load(
            """
            steps:
              - name: upgrade
                id: up
                block:
                  - {id: a, shell: echo a}
                  - block:
                      - {id: b, shell: echo b}
                rescue:
                  - {id: r, shell: echo r}
                always:
                  - {id: z, shell: echo z}
              - {id: after, shell: echo after}
            """);
    // then the steps are in place, prefixed by the outer block's id only
    assertEquals(
        List.of("up.a", "up.b", "up.r", "up.z", "after"),
        pb.steps().stream().map(Step::id).toList());
    List<BlockFrame> b = step(pb, "up.b").extras().blocks();
    assertEquals(2, b.size());
    assertEquals("block 'upgrade'", b.get(0).label());
    assertEquals(BlockFrame.Section.BLOCK, b.get(1).section());
    assertFalse(b.get(1).hasRescue());
    // a failure of b is taken over by the outer block's rescue
    assertEquals(Optional.of(b.get(0)), step(pb, "up.b").extras().rescuer());
    assertEquals(BlockFrame.Section.RESCUE, step(pb, "up.r").extras().blocks().get(0).section());
    assertEquals(Optional.empty(), step(pb, "up.r").extras().rescuer());
    assertEquals(BlockFrame.Section.ALWAYS, step(pb, "up.z").extras().blocks().get(0).section());
    assertTrue(step(pb, "after").extras().blocks().isEmpty());
  }

  @Test
  void aBlocksKeywordsApplyToItsStepsUnlessAStepSetsItsOwn() throws IOException {
    // given a block with when, tags, vars, become and ignore_errors
    Playbook pb =
        load(
            """
            steps:
              - block:
                  - {id: a, shell: echo a, when: ready}
                  - {id: b, shell: echo b, become: false, ignore_errors: false}
                  - block:
                      - {id: c, shell: echo c}
                    become_user: www-data
                when: go
                tags: [web]
                vars: {port: 80}
                become: true
                become_user: app
                ignore_errors: true
            """);
    // then each step has them, its own values winning, the inner block's over the outer's
    Step a = step(pb, "a");
    assertEquals(Optional.of("(go) and (ready)"), a.when());
    assertEquals(List.of("web"), a.traits().tags());
    assertEquals(Map.of("port", 80L), pb.reuse().scope(a).vars());
    assertTrue(a.become());
    assertEquals("app", a.becomeUser());
    assertTrue(a.extras().ignoreErrors());
    Step b = step(pb, "b");
    assertFalse(b.become());
    assertFalse(b.extras().ignoreErrors());
    assertEquals("www-data", step(pb, "c").becomeUser());
    assertTrue(step(pb, "c").become());
  }

  @Test
  void aBlockInARolesOrAStepFilesStepsIsRead() throws IOException {
    // given a role whose tasks import a step file holding a block
    write("roles/web/tasks/main.yml", "- import_steps: drain.yml\n");
    write(
        "roles/web/tasks/drain.yml",
        "- block:\n    - {id: off, shell: echo off}\n  rescue:\n    - {id: back, shell: echo on}\n");
    Playbook pb = load("roles: [web]\n");
    // then its steps carry the role's prefix and their block
    assertEquals(List.of("web.off", "web.back"), pb.steps().stream().map(Step::id).toList());
    assertTrue(step(pb, "web.off").extras().rescuer().isPresent());
  }

  @Test
  void theDefinitionHashOfAStepDoesNotDependOnItsBlock() throws IOException {
    // given the same step outside and inside a block
    Step outside = load("steps:\n  - {id: a, shell: echo a}\n").steps().get(0);
    Step inside =
        load("steps:\n  - block:\n      - {id: a, shell: echo a}\n    always: []\n").steps().get(0);
    // then moving it into a block does not make resume see an edited step
    assertEquals(outside.definitionHash(), inside.definitionHash());
  }

  @Test
  void mistakesInABlockAreReportedAtTheirPlace() {
    // given an unknown key, an empty block, a bad id and a block among handlers
    InputException unknown =
        assertThrows(
            InputException.class,
            () -> load("steps:\n  - block:\n      - {id: a, shell: echo a}\n    rescu: []\n"));
    InputException empty =
        assertThrows(InputException.class, () -> load("steps:\n  - block: []\n"));
    InputException badId =
        assertThrows(
            InputException.class,
            () -> load("steps:\n  - id: Up\n    block:\n      - {id: a, shell: echo a}\n"));
    InputException handler =
        assertThrows(
            InputException.class,
            () ->
                load(
                    "steps:\n  - {id: a, shell: echo a}\nhandlers:\n  - block:\n"
                        + "      - {id: h, shell: echo h}\n"));
    // then each names the place and what to do
    assertTrue(unknown.getMessage().contains("rescu"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("pb.yml:4"), unknown.getMessage());
    assertTrue(empty.getMessage().contains("'block' has no steps"), empty.getMessage());
    assertTrue(badId.getMessage().contains("invalid block id 'Up'"), badId.getMessage());
    assertTrue(handler.getMessage().contains("'block' is for 'steps'"), handler.getMessage());
  }

  @Test
  void aBlocksNameAndABadIdAreEchoedWithTheirControlCharactersEscaped() {
    // given a block named with a terminal escape, and a block id carrying one
    BlockFrame frame = new BlockFrame(1, "evil \u001b[31mRED", BlockFrame.Section.BLOCK, true);
    InputException badId =
        assertThrows(
            InputException.class,
            () ->
                load(
                    "steps:\n  - id: \"x\\e[31mRED\"\n    block:\n"
                        + "      - {id: a, shell: echo a}\n"));
    // when messages name them / then no raw escape reaches the console
    assertEquals("block 'evil \\u001b[31mRED'", frame.label());
    assertFalse(badId.getMessage().contains("\u001b"), badId.getMessage());
  }
}
