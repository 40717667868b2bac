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

/** The arguments of {@code script} as the loader reads them ({@link ScriptModuleArgs}). */
class ScriptModuleArgsTest {
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
  void theScriptIsFoundInFilesAndItsDigestJoinsTheArguments() throws IOException {
    // given a script under files/ next to the playbook
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("files/setup.sh"), "echo hi\n");
    // when a step runs it with arguments and creates
    Playbook pb =
        load(
            "  - id: s\n    script: {cmd: \"setup.sh 'a b' {{ x }}\", creates: /etc/done,"
                + " chdir: /srv}\n");
    // then the call has Ansible's arguments, the file found and its SHA-256
    ModuleCall call = pb.steps().get(0).extras().module().orElseThrow();
    assertEquals("script", call.name());
    assertEquals("setup.sh 'a b' {{ x }}", call.args().get("cmd"));
    assertEquals("/etc/done", call.args().get("creates"));
    assertEquals("/srv", call.args().get("chdir"));
    assertEquals(dir.resolve("files/setup.sh").toString(), call.args().get("_source"));
    assertEquals(64, String.valueOf(call.args().get("_sha256")).length());
    assertTrue(call.mayChange());
  }

  @Test
  void anAnsibleTaskWithTheFreeFormRunsTheScriptOfItsRole() throws IOException {
    // given an Ansible play whose task runs a script with k=v options, as in a role's tasks
    Path role = Files.createDirectories(dir.resolve("roles/app/tasks"));
    Files.createDirectories(dir.resolve("roles/app/files"));
    Files.writeString(dir.resolve("roles/app/files/go.sh"), "echo go\n");
    Files.writeString(
        role.resolve("main.yml"),
        "- name: go\n  ansible.builtin.script: go.sh --now creates=/tmp/gone\n");
    Path file = dir.resolve("site.yml");
    Files.writeString(file, "- hosts: all\n  roles: [app]\n");
    // when it is loaded
    Playbook pb = new PlaybookLoader().load(file);
    // then the step runs the role's file with its argument, creates as an argument
    ModuleCall call = pb.steps().get(0).extras().module().orElseThrow();
    assertEquals("go.sh --now", call.args().get("cmd"));
    assertEquals("/tmp/gone", call.args().get("creates"));
    assertEquals(dir.resolve("roles/app/files/go.sh").toString(), call.args().get("_source"));
  }

  @Test
  void invalidAndUnsupportedArgumentsAreErrorsAtTheirPlace() throws IOException {
    Files.writeString(dir.resolve("x.sh"), "true\n");
    // given each invalid use, then each is refused at its line with what to do
    InputException unknown = error("  - id: s\n    script: {cmd: x.sh, chdri: /srv}\n");
    assertTrue(unknown.getMessage().contains("unknown key 'chdri'"), unknown.getMessage());
    assertTrue(unknown.hint().contains("chdir"), unknown.hint());
    assertTrue(unknown.getMessage().contains("pb.yml:3"), unknown.getMessage());
    assertTrue(
        error("  - id: s\n    script: {cmd: x.sh, decrypt: false}\n")
            .getMessage()
            .contains("'decrypt' of script is not supported"));
    assertTrue(
        error("  - id: s\n    script: nope.sh\n")
            .getMessage()
            .contains("could not find or access 'nope.sh'"));
    assertTrue(
        error("  - id: s\n    script: {cmd: x.sh, chdir: srv}\n")
            .getMessage()
            .contains("must be an absolute path"));
    assertTrue(
        error("  - id: s\n    script: \"{{ name }}.sh\"\n")
            .getMessage()
            .contains("not a template"));
  }

  @Test
  void theFirstWordIsReadAsShlexReadsIt() {
    // given texts with quotes and escapes, then the first word is shlex.split's first
    Map<String, String> cases =
        Map.of(
            "a.sh b", "a.sh",
            "'my script.sh' x", "my script.sh",
            "\"q\\\"d.sh\" y", "q\"d.sh",
            "a\\ b.sh", "a b.sh",
            "  lead.sh", "lead.sh",
            "'open", "");
    cases.forEach((text, word) -> assertEquals(word, ScriptModuleArgs.firstWord(text), text));
  }
}
