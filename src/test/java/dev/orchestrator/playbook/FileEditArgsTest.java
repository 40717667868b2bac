package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arguments of {@code file}, {@code lineinfile}, {@code blockinfile} and {@code replace} as the
 * loader reads them ({@link FileEditArgs}): aliases under the argument's name, booleans and modes
 * as Ansible reads them, and what we do not support refused at its {@code file:line:column}.
 */
class FileEditArgsTest {
  @TempDir Path dir;

  private Playbook load(String steps) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, "steps:\n" + steps);
    return new PlaybookLoader().load(file);
  }

  private InputException error(String steps) {
    return assertThrows(InputException.class, () -> load(steps));
  }

  @Test
  void aliasesAreReadUnderTheArgumentsName() throws IOException {
    // given lineinfile with Ansible's aliases dest, regex and value
    Playbook pb =
        load("  - id: l\n    lineinfile: {dest: /etc/a, regex: '^a=', value: a=1, create: yes}\n");
    // then the call has path, regexp and line
    ModuleCall call = pb.steps().get(0).extras().module().orElseThrow();
    assertEquals("lineinfile", call.name());
    assertEquals(
        Map.of("path", "/etc/a", "regexp", "^a=", "line", "a=1", "create", true), call.args());
  }

  @Test
  void fileReadsAModeAsAnsibleDoes() throws IOException {
    // given an octal YAML integer and a symbolic mode
    Playbook pb =
        load(
            "  - id: d\n    file: {path: /srv/a, state: directory, mode: 0755}\n"
                + "  - id: e\n    file: {name: /srv/b, mode: u+x}\n");
    // then both are modes chmod reads
    assertEquals("0755", pb.steps().get(0).extras().module().orElseThrow().args().get("mode"));
    assertEquals("u+x", pb.steps().get(1).extras().module().orElseThrow().args().get("mode"));
  }

  @Test
  void anUnsupportedArgumentIsRefusedAtItsPlaceNamingTheSupportedOnes() {
    // given lineinfile with validate, which we do not run
    InputException e =
        error("  - id: l\n    lineinfile: {path: /etc/a, line: x, validate: 'visudo -cf %s'}\n");
    // then the error is at the argument, names it and the supported ones
    assertTrue(e.getMessage().contains("pb.yml:3:41"), e.getMessage());
    assertTrue(e.getMessage().contains("'validate'"), e.getMessage());
  }

  @Test
  void aPatternJavaWouldReadDifferentlyIsRefusedAtLoad() {
    // given a replace whose regexp uses a Java-only class
    InputException e = error("  - id: r\n    replace: {path: /etc/a, regexp: '\\p{L}+'}\n");
    // then it is refused at the pattern
    assertTrue(e.getMessage().contains("pb.yml:3:"), e.getMessage());
    assertTrue(e.getMessage().contains("not supported"), e.getMessage());
  }

  @Test
  void mutuallyExclusiveAndInvalidChoicesAreRefused() {
    assertTrue(
        error(
                "  - id: l\n    lineinfile: {path: /a, line: x, insertafter: EOF, insertbefore: BOF}\n")
            .getMessage()
            .contains("mutually exclusive"));
    assertTrue(
        error("  - id: f\n    file: {path: /a, state: gone}\n")
            .getMessage()
            .contains("value of state must be one of"));
    assertTrue(
        error("  - id: r\n    replace: {path: /a}\n").getMessage().contains("needs 'regexp'"));
  }
}
