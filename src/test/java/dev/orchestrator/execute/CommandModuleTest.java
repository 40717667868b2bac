package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code command} run by {@code /bin/sh} as a host runs it: creates/removes, chdir, stdin, a
 * missing command, and the result keys (ansible-core 2.14 {@code lib/ansible/modules/command.py}).
 */
class CommandModuleTest {
  @TempDir Path dir;

  private Map<String, Object> run(Map<String, Object> args) throws Exception {
    CommandModule c =
        CommandModule.of(new ModuleArgs(new TemplateEngine(), args, Map.of("d", dir.toString())));
    var result =
        HostShell.run(
            c.script(),
            dir,
            Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", dir.toString()));
    ModuleOutcome outcome = c.outcome(result);
    Map<String, Object> fields = new java.util.LinkedHashMap<>(outcome.fields());
    fields.put("failed", !outcome.result().succeeded());
    return fields;
  }

  @Test
  void createsSkipsWhenItsGlobMatchesAndRemovesWhenNothingMatches() throws Exception {
    // given a file that a glob matches
    Files.writeString(dir.resolve("done-1"), "");
    // when the command is guarded by creates and removes
    Map<String, Object> created = run(Map.of("cmd", "touch ran1", "creates", "{{ d }}/done-*"));
    Map<String, Object> removed = run(Map.of("cmd", "touch ran2", "removes", "{{ d }}/gone-*"));
    Map<String, Object> runs = run(Map.of("cmd", "touch ran3", "creates", "{{ d }}/gone-*"));
    // then the first two are skipped, unchanged, with Ansible's messages; the third runs
    assertEquals(false, created.get("changed"));
    assertEquals("Did not run command since '" + dir + "/done-*' exists", created.get("msg"));
    assertEquals("skipped, since " + dir + "/done-* exists", created.get("stdout"));
    assertEquals(false, removed.get("changed"));
    assertEquals(
        "Did not run command since '" + dir + "/gone-*' does not exist", removed.get("msg"));
    assertEquals(true, runs.get("changed"));
    assertFalse(Files.exists(dir.resolve("ran1")));
    assertFalse(Files.exists(dir.resolve("ran2")));
    assertTrue(Files.exists(dir.resolve("ran3")));
  }

  @Test
  void chdirStdinAndTheResultKeys() throws Exception {
    // given a sub-folder
    Files.createDirectories(dir.resolve("sub"));
    // when a command runs there with input
    Map<String, Object> r =
        run(Map.of("cmd", "sh -c 'pwd; cat'", "chdir", "{{ d }}/sub", "stdin", "in put"));
    // then it ran there, read the input (with Ansible's added newline), stripped at the end
    assertEquals(dir.resolve("sub") + "\nin put", r.get("stdout"));
    assertEquals(List.of(dir.resolve("sub").toString(), "in put"), r.get("stdout_lines"));
    assertEquals(List.of("sh", "-c", "pwd; cat"), r.get("cmd"));
    assertEquals(0, r.get("rc"));
    assertEquals("", r.get("msg"));
    assertTrue(String.valueOf(r.get("delta")).startsWith("0:00:"), String.valueOf(r.get("delta")));
  }

  @Test
  void aFailureAndAMissingCommandOrFolderHaveAnsiblesMessages() throws Exception {
    // when a command fails, one does not exist, and a folder does not exist
    Map<String, Object> failed = run(Map.of("cmd", "sh -c 'exit 4'"));
    Map<String, Object> missing = run(Map.of("cmd", "no-such-cmd --password secret"));
    Map<String, Object> nodir = run(Map.of("cmd", "true", "chdir", "{{ d }}/none"));
    // then each fails as Ansible's does
    assertEquals(4, failed.get("rc"));
    assertEquals("non-zero return code", failed.get("msg"));
    assertEquals(true, failed.get("changed"));
    assertEquals(2, missing.get("rc"));
    assertEquals("[Errno 2] No such file or directory: b'no-such-cmd'", missing.get("msg"));
    assertEquals("no-such-cmd --password '********'", missing.get("cmd"));
    assertEquals(true, missing.get("failed"));
    assertEquals(true, nodir.get("failed"));
    assertTrue(
        String.valueOf(nodir.get("msg")).startsWith("Unable to change directory"),
        String.valueOf(nodir.get("msg")));
  }

  @Test
  void anUnclosedQuoteIsAnError() {
    // given a command line Python's shlex cannot split
    ModuleArgs args = new ModuleArgs(new TemplateEngine(), Map.of("cmd", "echo 'a"), Map.of());
    // then it is refused with Python's message
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CommandModule.of(args));
    assertTrue(e.getMessage().contains("No closing quotation"), e.getMessage());
  }

  @Test
  void timesArePrintedAsPythonPrintsThem() {
    // given a time and a duration
    LocalDateTime t = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6_000);
    // then Python's str() of each
    assertEquals("2026-01-02 03:04:05.000006", CommandModule.python(t));
    assertEquals("2026-01-02 03:04:05", CommandModule.python(t.withNano(0)));
    assertEquals("0:00:01.500000", CommandModule.python(Duration.ofMillis(1500)));
    assertEquals("1:01:01", CommandModule.python(Duration.ofSeconds(3661)));
  }
}
