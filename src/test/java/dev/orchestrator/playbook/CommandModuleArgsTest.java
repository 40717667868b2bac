package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arguments of command, raw, ping and stat as the loader reads and refuses them. */
class CommandModuleArgsTest {
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
  void readsEachFormWithAnsiblesDefaults() throws IOException {
    // given the free-form, cmd, argv, raw, ping and stat
    Playbook pb =
        load(
            """
              - id: free
                command: echo {{ x }} $HOME
              - id: mapped
                command: {cmd: ls -l, chdir: /srv, creates: /srv/done, stdin: hi}
              - id: words
                command: {argv: [ls, "-l", "{{ d }}"]}
              - id: r
                raw: uname -a
              - id: p
                ping:
              - id: s
                stat: {path: /etc/hosts}
            """);
    // then each module has its arguments, with Ansible's defaults
    Map<String, Object> free = pb.steps().get(0).extras().module().orElseThrow().args();
    assertEquals(Map.of("cmd", "echo {{ x }} $HOME"), free);
    Map<String, Object> mapped = pb.steps().get(1).extras().module().orElseThrow().args();
    assertEquals("/srv", mapped.get("chdir"));
    assertEquals(true, mapped.get("stdin_add_newline"));
    assertEquals(true, mapped.get("strip_empty_ends"));
    assertEquals(
        List.of("ls", "-l", "{{ d }}"),
        pb.steps().get(2).extras().module().orElseThrow().args().get("argv"));
    assertEquals(
        Map.of("cmd", "uname -a"), pb.steps().get(3).extras().module().orElseThrow().args());
    assertEquals(Map.of("data", "pong"), pb.steps().get(4).extras().module().orElseThrow().args());
    assertEquals(
        Map.of(
            "path",
            "/etc/hosts",
            "follow",
            false,
            "get_checksum",
            true,
            "checksum_algorithm",
            "sha1"),
        pb.steps().get(5).extras().module().orElseThrow().args());
  }

  @Test
  void anUnknownArgumentIsRefusedNamingTheSupportedOnes() {
    // given command with an argument it has not
    InputException e = error("  - id: c\n    command: {cmd: ls, executable: /bin/bash}\n");
    // then the error names it, where it is, and the supported ones
    assertTrue(e.getMessage().contains("'command' has no argument 'executable'"), e.getMessage());
    assertTrue(e.getMessage().contains("pb.yml:3:"), e.getMessage());
    assertTrue(e.hint().contains("argv, chdir, cmd, creates"), e.hint());
  }

  @Test
  void aMissingOrDoubleCommandIsRefused() {
    // given command without a command, with both cmd and argv, stat without a path
    InputException none = error("  - id: c\n    command: {chdir: /srv}\n");
    InputException both = error("  - id: c\n    command: {cmd: ls, argv: [ls]}\n");
    InputException path = error("  - id: s\n    stat: {follow: true}\n");
    InputException algo = error("  - id: s\n    stat: {path: /x, checksum_algorithm: crc}\n");
    // then each says what is wrong
    assertTrue(none.getMessage().contains("no command given"), none.getMessage());
    assertTrue(both.getMessage().contains("both 'cmd' and 'argv'"), both.getMessage());
    assertTrue(path.getMessage().contains("has no 'path'"), path.getMessage());
    assertTrue(algo.getMessage().contains("unknown checksum_algorithm 'crc'"), algo.getMessage());
  }

  @Test
  void shellsMappingFormIsTheModuleAndItsTextFormAShellStep() throws IOException {
    // given shell as a mapping (Ansible's shell + args) and as text
    Playbook pb =
        load(
            """
              - id: mapped
                shell: {cmd: "make && make install", chdir: /srv/app, removes: /srv/app/Makefile}
              - id: text
                shell: make
            """);
    // then the mapping calls the module, the text stays a shell step
    assertEquals("/srv/app", pb.steps().get(0).extras().module().orElseThrow().args().get("chdir"));
    assertEquals("shell", pb.steps().get(0).extras().module().orElseThrow().name());
    assertTrue(pb.steps().get(1).extras().module().isEmpty());
    assertEquals("make", pb.steps().get(1).shell());
    // and another executable than /bin/sh is refused with what to do
    InputException e = error("  - id: b\n    shell: {cmd: ls, executable: /bin/bash}\n");
    assertTrue(e.getMessage().contains("executable '/bin/bash' is not supported"), e.getMessage());
  }

  @Test
  void aStepCallsOneModule() {
    // given a step with command and shell
    InputException e = error("  - id: c\n    command: ls\n    shell: ls\n");
    // then it is refused
    assertTrue(e.getMessage().contains("has both"), e.getMessage());
  }
}
