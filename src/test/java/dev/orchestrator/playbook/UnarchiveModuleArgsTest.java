package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arguments of {@code unarchive} as the loader reads them ({@link UnarchiveModuleArgs}). */
class UnarchiveModuleArgsTest {
  @TempDir Path dir;

  private ModuleCall call(String steps) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, "steps:\n" + steps);
    return new PlaybookLoader().load(file).steps().get(0).extras().module().orElseThrow();
  }

  private InputException error(String steps) {
    return assertThrows(InputException.class, () -> call(steps));
  }

  @Test
  void aControllerArchiveIsFoundAndRemoteSrcIsReadAsAnsibleReadsCopy() throws IOException {
    // given an archive under files/
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("files/app.tgz"), "not really");
    // when steps unarchive it from the controller and one from the host, with copy: no
    ModuleCall local =
        call(
            "  - id: u\n    unarchive: {src: app.tgz, dest: /srv, mode: '0755', exclude: 'a,b',"
                + " list_files: yes}\n");
    ModuleCall remote = call("  - id: u\n    unarchive: {src: /tmp/x.zip, dest: /srv, copy: no}\n");
    // then the controller's file and its digest join the arguments, and copy: no is remote_src
    assertEquals(dir.resolve("files/app.tgz").toString(), local.args().get("_source"));
    assertEquals(false, local.args().get("remote_src"));
    assertEquals(List.of("a", "b"), local.args().get("exclude"));
    assertEquals(true, local.args().get("list_files"));
    assertEquals(true, remote.args().get("remote_src"));
    assertTrue(!remote.args().containsKey("_source"));
  }

  @Test
  void invalidAndUnsupportedArgumentsAreErrorsAtTheirPlace() {
    InputException unknown =
        error("  - id: u\n    unarchive: {src: /a, dest: /b, remote_src: true, dset: x}\n");
    assertTrue(unknown.getMessage().contains("unknown key 'dset'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("pb.yml:3"), unknown.getMessage());
    assertTrue(
        error("  - id: u\n    unarchive: {src: /a, dest: /b, remote_src: true, extra_opts: [-v]}\n")
            .getMessage()
            .contains("'extra_opts' of unarchive is not supported"));
    assertTrue(
        error("  - id: u\n    unarchive: {src: /a, dest: /b, copy: no, remote_src: true}\n")
            .getMessage()
            .contains("mutually exclusive"));
    assertTrue(
        error("  - id: u\n    unarchive: {src: nope.tgz, dest: /b}\n")
            .getMessage()
            .contains("could not find or access 'nope.tgz'"));
    assertTrue(
        error("  - id: u\n    unarchive: {dest: /b}\n").getMessage().contains("are required"));
  }
}
