package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A templated {@code src} on template and copy: read at load, found per host when it runs. */
class FileSourcesTest {
  @TempDir Path dir;

  private void write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  private FileModule roleStep() throws IOException {
    write(
        "roles/fw/tasks/main.yml",
        "- name: script\n  template:\n    src: \"{{ fw_template }}\"\n    dest: /etc/fw\n"
            + "- name: each\n  copy: src={{ item }} dest=/etc/{{ item }}\n"
            + "  loop: [a.conf]\n");
    write("roles/fw/templates/fw.j2", "port {{ port }}\n");
    write("roles/fw/files/a.conf", "a\n");
    write("site.yml", "- hosts: all\n  roles: [fw]\n");
    Playbook pb = new PlaybookLoader().load(dir.resolve("site.yml"));
    return pb.steps().get(0).extras().file().orElseThrow();
  }

  @Test
  void aTemplatedSrcLoadsAsPerHostAndIsFoundInTheRolesTemplatesOnceRendered() throws IOException {
    // given a role whose template's src is a variable (geerlingguy.firewall's firewall_template)
    FileModule f = roleStep();

    // then it is not looked for at load
    assertEquals(Optional.empty(), f.source());
    assertEquals("{{ fw_template }}", f.perHostSource().orElseThrow().src());
    assertEquals("{{ fw_template }}", f.templates().get("template.src"));
    // and once rendered it is found where a literal src is: the role's templates/
    FileModule.Source s = FileSources.resolve(f, "fw.j2");
    assertEquals(dir.resolve("roles/fw/templates/fw.j2").toRealPath(), s.path().toRealPath());
    assertEquals(Optional.of("port {{ port }}\n"), s.text());
    assertEquals("fw.j2", s.src());
  }

  @Test
  void aRenderedSrcThatIsMissingAbsoluteOrOutsideTheRoleAndPlaybookIsRefused() throws IOException {
    // given the role step and files outside the playbook's folder
    FileModule f = roleStep();
    Path outside = Files.createTempFile("secret", ".j2");
    Files.createSymbolicLink(dir.resolve("roles/fw/templates/link.j2"), outside);
    try {
      // when the rendered src is missing, absolute, climbs out, or is a link out: refused
      assertTrue(msg(f, "nope.j2").contains("not found; looked in: "), msg(f, "nope.j2"));
      assertTrue(msg(f, outside.toString()).contains("absolute path"));
      assertTrue(msg(f, "../../../../" + outside.getFileName()).contains("outside"));
      assertTrue(msg(f, "link.j2").contains("outside the role's and the playbook's folders"));
      assertTrue(msg(f, "  ").contains("renders empty"));
      // and a ../ that stays inside the role is read as Ansible reads it
      assertEquals(
          Optional.of("port {{ port }}\n"), FileSources.resolve(f, "../templates/fw.j2").text());
    } finally {
      Files.deleteIfExists(outside);
    }
  }

  private static String msg(FileModule f, String rendered) {
    return assertThrows(IllegalArgumentException.class, () -> FileSources.resolve(f, rendered))
        .getMessage();
  }

  @Test
  void aTemplatedSrcWithBadSyntaxIsRefusedAtLoad() throws IOException {
    // given a src whose template does not parse
    write("site.yml", "- hosts: all\n  tasks:\n    - template: src='{{ a' dest=/x\n");

    // then the load refuses it at its line
    var e =
        assertThrows(
            dev.orchestrator.common.InputException.class,
            () -> new PlaybookLoader().load(dir.resolve("site.yml")));
    assertTrue(e.getMessage().contains("site.yml:3:"), e.getMessage());
  }
}
