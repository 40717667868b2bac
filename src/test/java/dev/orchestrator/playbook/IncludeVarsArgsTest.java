package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arguments of {@code include_vars} as the loader reads them ({@link IncludeVarsArgs}). */
class IncludeVarsArgsTest {
  @TempDir Path dir;

  private Playbook load(String steps) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, "steps:\n" + steps);
    return new PlaybookLoader().load(file);
  }

  private ModuleCall call(Playbook pb) {
    return pb.steps().get(0).extras().module().orElseThrow();
  }

  @Test
  void aLiteralFileIsFoundInVarsAndReadAtLoad() throws IOException {
    // given a vars file under vars/ next to the playbook
    Files.createDirectories(dir.resolve("vars"));
    Files.writeString(dir.resolve("vars/app.yml"), "port: 8080\nnames: [a, b]\n");
    // when a step includes it under one key
    Playbook pb = load("  - id: v\n    include_vars: {file: app.yml, name: app}\n");
    // then its vars joined the arguments, typed as PyYAML types them
    ModuleCall call = call(pb);
    assertEquals("include_vars", call.name());
    assertEquals("app", call.args().get("name"));
    assertEquals(dir.resolve("vars/app.yml").toString(), call.args().get("_source"));
    assertEquals("{port=8080, names=[a, b]}", String.valueOf(call.args().get("_vars")));
    assertTrue(call.onController());
    assertTrue(call.setsFacts());
    assertFalse(call.mayChange());
  }

  @Test
  void anEditOfTheFileChangesTheStepsDefinition() throws IOException {
    // given a step including a file
    Files.writeString(dir.resolve("a.yml"), "x: 1\n");
    String before = call(load("  - id: v\n    include_vars: a.yml\n")).canonical();
    // when the file is edited
    Files.writeString(dir.resolve("a.yml"), "x: 2\n");
    // then the step's definition differs (a resume notices it)
    assertFalse(before.equals(call(load("  - id: v\n    include_vars: a.yml\n")).canonical()));
  }

  @Test
  void anAnsibleTaskWithATemplatedFreeFormIsReadPerHostLater() throws IOException {
    // given geerlingguy's idiom in a role's tasks
    Path role = Files.createDirectories(dir.resolve("roles/web/tasks"));
    Files.createDirectories(dir.resolve("roles/web/vars"));
    Files.writeString(dir.resolve("roles/web/vars/Debian.yml"), "daemon: apache2\n");
    Files.writeString(
        role.resolve("main.yml"),
        "- name: os vars\n  ansible.builtin.include_vars: \"{{ ansible_os_family }}.yml\"\n");
    Path file = dir.resolve("site.yml");
    Files.writeString(file, "- hosts: all\n  roles: [web]\n");
    // when the play is read
    Playbook pb = new PlaybookLoader().load(file);
    // then the file is kept as a template with where to look for it when the step runs
    ModuleCall call = call(pb);
    assertEquals("{{ ansible_os_family }}.yml", call.args().get("file"));
    assertEquals(role.resolve("main.yml").toString(), call.args().get("_step_file"));
    assertFalse(call.args().containsKey("_vars"));
  }

  @Test
  void aMissingFileIsRefusedAtItsPlaceNamingWhereItWasLookedFor() {
    InputException e =
        assertThrows(InputException.class, () -> load("  - id: v\n    include_vars: no.yml\n"));
    assertTrue(e.getMessage().contains("could not find or access 'no.yml'"), e.getMessage());
    assertTrue(e.getMessage().contains("pb.yml:3:19"), e.getMessage());
  }

  @Test
  void aFileThatIsNotAMappingOrHasABadNameIsRefusedWithItsPosition() throws IOException {
    Files.writeString(dir.resolve("l.yml"), "- a\n");
    Files.writeString(dir.resolve("k.yml"), "ok: 1\nnot-a-name: 2\n");
    InputException list =
        assertThrows(InputException.class, () -> load("  - id: v\n    include_vars: l.yml\n"));
    assertTrue(list.getMessage().contains("not a mapping"), list.getMessage());
    InputException key =
        assertThrows(InputException.class, () -> load("  - id: v\n    include_vars: k.yml\n"));
    assertTrue(key.getMessage().contains("k.yml:2:1"), key.getMessage());
  }

  @Test
  void aFolderOfVarsIsRefusedNamingTheAlternative() {
    InputException e =
        assertThrows(
            InputException.class,
            () -> load("  - id: v\n    include_vars: {dir: vars, files_matching: x}\n"));
    assertTrue(e.getMessage().contains("'dir' of include_vars is not supported"), e.getMessage());
  }

  @Test
  void aTemplatedNameRenderedOutsideTheFoldersIsRefusedAtRun() throws IOException {
    // given a templated include whose rendered value climbs out of the playbook's folder
    Path sub = Files.createDirectories(dir.resolve("play"));
    Files.writeString(dir.resolve("secret.yml"), "x: 1\n");
    Files.writeString(sub.resolve("pb.yml"), "steps:\n  - id: v\n    include_vars: \"{{ f }}\"\n");
    ModuleCall call = call(new PlaybookLoader().load(sub.resolve("pb.yml")));
    // then resolving it refuses the file; an absolute rendered name too
    IllegalArgumentException out =
        assertThrows(
            IllegalArgumentException.class,
            () -> IncludedVars.resolve(call.args(), "../secret.yml"));
    assertTrue(out.getMessage().contains("outside"), out.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> IncludedVars.resolve(call.args(), dir.resolve("secret.yml").toString()));
  }
}
