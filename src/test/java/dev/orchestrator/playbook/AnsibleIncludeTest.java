package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The old {@code include:} of task lists (deprecated in ansible-core 2.14): read as {@code
 * import_tasks} when its file is not a template, else as {@code include_tasks}, as {@code
 * playbook/helpers.py} decides.
 */
class AnsibleIncludeTest {
  @TempDir Path dir;

  @Test
  void lampSimplesIncludesReadTheirFilesSteps() throws IOException {
    // given ansible-examples' lamp_simple web role: main.yml includes two task files
    Files.createDirectories(dir.resolve("roles/web/tasks"));
    Files.writeString(
        dir.resolve("roles/web/tasks/main.yml"),
        "- include: install_httpd.yml\n- include: copy_code.yml\n");
    Files.writeString(
        dir.resolve("roles/web/tasks/install_httpd.yml"),
        "- name: Install http\n  shell: echo h\n");
    Files.writeString(
        dir.resolve("roles/web/tasks/copy_code.yml"), "- name: Copy the code\n  shell: echo c\n");
    Files.writeString(dir.resolve("site.yml"), "- hosts: webservers\n  roles:\n    - web\n");
    // when the play loads
    Playbook pb = new PlaybookLoader().load(dir.resolve("site.yml"));
    // then the role's steps are the included files' steps, in order
    assertEquals(List.of("echo h", "echo c"), pb.steps().stream().map(Step::shell).toList());
  }
}
