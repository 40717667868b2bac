package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModuleLoaderTest {
  @TempDir Path dir;

  private Playbook load(String yaml) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, yaml);
    return new PlaybookLoader().load(file);
  }

  @Test
  void templateAndCopyStepsAreReadWithAnsiblesArguments() throws IOException {
    // given a template in templates/ and a file in files/ next to the playbook
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(dir.resolve("templates/app.conf.j2"), "port={{ port }}\n");
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("files/motd"), "hello\n");
    // when the playbook is loaded
    Playbook pb =
        load(
            """
            steps:
              - id: conf
                template: {src: app.conf.j2, dest: /etc/app.conf, mode: "0640", owner: root, group: app, backup: yes}
                register: conf
              - id: motd
                copy: {src: motd, dest: /etc/motd, mode: 0644, force: false}
              - id: inline
                copy: {content: "x={{ x }}\\n", dest: /tmp/x, mode: "u=rw,g=r"}
            """);
    // then each step has its module, and no shell
    FileModule conf = pb.steps().get(0).extras().file().orElseThrow();
    assertEquals(FileModule.Kind.TEMPLATE, conf.kind());
    assertEquals("port={{ port }}\n", conf.source().orElseThrow().text().orElseThrow());
    assertEquals(dir.resolve("templates/app.conf.j2"), conf.source().get().path());
    assertEquals("/etc/app.conf", conf.dest());
    assertEquals("0640", conf.mode().orElseThrow());
    assertEquals(
        List.of(true, "root", "app"),
        List.of(conf.backup(), conf.owner().get(), conf.group().get()));
    assertEquals("", pb.steps().get(0).shell());
    FileModule motd = pb.steps().get(1).extras().file().orElseThrow();
    assertEquals(FileModule.Kind.COPY, motd.kind());
    assertEquals("0644", motd.mode().orElseThrow());
    assertEquals(false, motd.force());
    assertEquals("x={{ x }}\n", pb.steps().get(2).extras().file().get().content().orElseThrow());
  }

  @Test
  void srcIsLookedForInTheRoleThenNextToTheStepThenNextToThePlaybook() {
    // given a step written in a role's tasks
    Path stepFile = dir.resolve("roles/web/tasks/main.yml");
    // when the search path of a relative src is built
    List<Path> templates =
        FileModuleLoader.searchPath(stepFile, dir, FileModule.Kind.TEMPLATE, "a.j2");
    List<Path> files = FileModuleLoader.searchPath(stepFile, dir, FileModule.Kind.COPY, "a");
    // then the role's templates/ (files/ for copy) come first, then the step's folder, then the
    // playbook's
    assertEquals(
        List.of(
            dir.resolve("roles/web/templates/a.j2"),
            dir.resolve("roles/web/a.j2"),
            dir.resolve("roles/web/tasks/templates/a.j2"),
            dir.resolve("roles/web/tasks/a.j2"),
            dir.resolve("templates/a.j2"),
            dir.resolve("a.j2")),
        templates);
    assertEquals(dir.resolve("roles/web/files/a"), files.get(0));
    assertEquals(
        List.of(Path.of("/etc/x")),
        FileModuleLoader.searchPath(stepFile, dir, FileModule.Kind.COPY, "/etc/x"));
  }

  @Test
  void aMissingSrcIsRefusedAtItsLineNamingWhereItWasLookedFor() {
    // given a template step whose source exists nowhere
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                load(
                    """
                    steps:
                      - id: conf
                        template:
                          src: nope.j2
                          dest: /etc/app.conf
                    """));
    // then the error names the file:line:column of src and the folders searched
    assertTrue(e.getMessage().contains("pb.yml:4:12"), e.getMessage());
    assertTrue(e.getMessage().contains("template source 'nope.j2' not found"), e.getMessage());
    assertTrue(e.hint().contains(dir.resolve("templates/nope.j2").toString()), e.hint());
  }

  @Test
  void aStepHasExactlyOneActionKey() {
    // given a step with shell and template, and one with no action
    InputException both =
        assertThrows(
            InputException.class,
            () ->
                load(
                    """
                    steps:
                      - id: x
                        shell: echo
                        copy: {content: a, dest: /tmp/a}
                    """));
    InputException none =
        assertThrows(InputException.class, () -> load("steps:\n  - id: x\n    name: y\n"));
    // then both are refused with what to do
    assertTrue(both.getMessage().contains("has both 'shell' and 'copy'"), both.getMessage());
    assertTrue(none.getMessage().contains("missing required key 'shell'"), none.getMessage());
    assertTrue(none.hint().contains("template, copy"), none.hint());
  }

  @Test
  void badModesAndMixedSrcAndContentAreRefused() {
    for (String module :
        List.of(
            "copy: {content: a, dest: /tmp/a, mode: 644}",
            "copy: {content: a, dest: /tmp/a, mode: \"rw\"}",
            "copy: {content: a, src: b, dest: /tmp/a}",
            "copy: {content: a, dest: \"\"}",
            "copy: {content: a, dest: /tmp/a, remote_src: true}",
            "template: {src: \"{{ x .j2\", dest: /tmp/a}")) {
      assertThrows(
          InputException.class, () -> load("steps:\n  - id: x\n    " + module + "\n"), module);
    }
  }

  @Test
  void anEditedSourceChangesTheStepsDefinitionHash() throws IOException {
    // given a copy step
    Files.writeString(dir.resolve("motd"), "one\n");
    String yaml = "steps:\n  - id: motd\n    copy: {src: motd, dest: /etc/motd}\n";
    String before = load(yaml).steps().get(0).definitionHash();
    // when its source file is edited
    Files.writeString(dir.resolve("motd"), "two\n");
    // then the step's definition changed (a resume notices it)
    assertNotEquals(before, load(yaml).steps().get(0).definitionHash());
  }
}
