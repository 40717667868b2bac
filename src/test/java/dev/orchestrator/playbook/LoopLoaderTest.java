package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loop:}, {@code with_items:} and {@code loop_control:} as a playbook writes them. */
class LoopLoaderTest {
  @TempDir Path dir;

  private Step load(String step) throws IOException {
    Path pb = dir.resolve("pb.yml");
    Files.writeString(pb, "hosts: all\nsteps:\n" + step);
    return new PlaybookLoader().load(pb).steps().get(0);
  }

  private InputException refused(String step) {
    return assertThrows(InputException.class, () -> load(step));
  }

  @Test
  void theKeysAreRead() throws IOException {
    // given a loop with every loop_control key; when loaded
    Step step =
        load(
            """
              - id: d
                shell: echo {{ lb }}
                loop: [lb1, "{{ other }}"]
                loop_control: {loop_var: lb, label: "{{ lb }}", index_var: i, pause: 2s}
            """);

    // then
    Loop loop = step.extras().loop().orElseThrow();
    assertEquals(Loop.Kind.LOOP, loop.kind());
    assertEquals(Optional.of(List.of("lb1", "{{ other }}")), loop.list());
    assertEquals("lb", loop.loopVar());
    assertEquals(Optional.of("{{ lb }}"), loop.label());
    assertEquals(Optional.of("i"), loop.indexVar());
    assertEquals(Optional.of(Duration.ofSeconds(2)), loop.pause());
    Step items = load("  - {id: d, shell: \"echo {{ item }}\", with_items: \"{{ backends }}\"}\n");
    assertEquals(Loop.Kind.WITH_ITEMS, items.extras().loop().orElseThrow().kind());
    assertEquals(Optional.of("{{ backends }}"), items.extras().loop().get().template());
  }

  @Test
  void aStepWithoutALoopKeepsItsExtrasAndHashAndALoopChangesTheHash() throws IOException {
    // given the same step without and with a loop; when loaded; then
    Step plain = load("  - {id: d, shell: echo x}\n");
    Step looped = load("  - {id: d, shell: echo x, loop: [a]}\n");
    assertEquals(StepExtras.NONE, plain.extras());
    assertNotEquals(plain.definitionHash(), looped.definitionHash());
  }

  @Test
  void mistakesAreNamedWhereTheyAre() {
    // given / when / then
    assertTrue(
        refused("  - {id: d, shell: x, loop: [a], with_items: [b]}\n")
            .getMessage()
            .contains("has both 'loop' and 'with_items'"));
    assertTrue(
        refused("  - {id: d, shell: x, loop: abc}\n")
            .getMessage()
            .contains("'loop' must be a list or a template naming one"));
    assertTrue(
        refused("  - {id: d, shell: x, loop_control: {label: x}}\n")
            .getMessage()
            .contains("'loop_control' without 'loop'"));
    InputException unknown =
        refused("  - {id: d, shell: x, loop: [a], loop_control: {extended: true}}\n");
    assertTrue(unknown.getMessage().contains("unknown key 'extended'"), unknown.getMessage());
    assertTrue(
        refused("  - {id: d, shell: x, loop: [a], loop_control: {loop_var: 'a b'}}\n")
            .getMessage()
            .contains("invalid loop_control.loop_var"));
    assertTrue(
        refused("  - {id: d, shell: x, loop: \"{{ a }\"}\n").getMessage().contains("pb.yml:3"));
  }
}
