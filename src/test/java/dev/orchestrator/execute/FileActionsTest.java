package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.Redactor;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A template/copy step rendered for one host, its templated src found for that host. */
class FileActionsTest {
  @TempDir Path dir;

  @Test
  void aTemplatedSrcIsRenderedPerHostAndItsFileRenderedWithTheHostsVars() throws IOException {
    // given a play whose template src and copy src are variables
    Files.createDirectories(dir.resolve("templates"));
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("templates/web.j2"), "listen {{ port }}\n");
    Files.writeString(dir.resolve("files/motd"), "hello\n");
    Files.writeString(
        dir.resolve("site.yml"),
        """
        - hosts: all
          tasks:
            - template: src={{ item.template }} dest=/etc/{{ item.name }}
              loop: [{template: web.j2, name: web}]
            - copy: src={{ motd_file }} dest=/etc/motd
        """);
    Playbook pb = new PlaybookLoader().load(dir.resolve("site.yml"));
    TemplateEngine t = new TemplateEngine();
    DerivedSecrets secrets = new DerivedSecrets(t, Set.of(), new Redactor());

    // when each is rendered for a host (the loop item as the run gives it)
    Step template = pb.steps().get(0);
    Map<String, Object> vars =
        Map.of("port", 8080, "item", Map.of("template", "web.j2", "name", "web"));
    FileWrite web = FileActions.render(template, vars, t, secrets);
    FileWrite motd = FileActions.render(pb.steps().get(1), Map.of("motd_file", "motd"), t, secrets);

    // then the file the host's values name is rendered (template) or sent as it is (copy)
    assertEquals("/etc/web", web.dest());
    assertEquals("listen 8080\n", new String(web.content(), StandardCharsets.UTF_8));
    assertEquals("hello\n", new String(motd.content(), StandardCharsets.UTF_8));
    assertEquals("web.j2", FileActions.action(template, vars, t, secrets).source());
    // and a value naming a file outside the playbook's folder fails the step, not the controller
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FileActions.render(
                    pb.steps().get(1), Map.of("motd_file", "/etc/passwd"), t, secrets));
    assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
  }
}
