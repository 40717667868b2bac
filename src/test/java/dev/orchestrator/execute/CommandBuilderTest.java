package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.template.TemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandBuilderTest {
  private static Step step(boolean become, String user) {
    return new Step(
        "s",
        "s",
        "x",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        Duration.ZERO,
        Optional.empty(),
        become,
        user,
        Map.of(),
        dev.orchestrator.playbook.StepTraits.NONE,
        new SourceLocation(Path.of("pb.yml"), 1, 1));
  }

  @Test
  void exportsEnvironmentQuoted() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LANG", "C");
    env.put("MSG", "it's $HOME");
    assertEquals(
        "export LANG=C; export MSG='it'\\''s $HOME'; echo hi",
        CommandBuilder.build(step(false, "root"), new ShellTemplate("echo hi", Map.of()), env));
  }

  @Test
  void becomeWrapsEverythingInSudo() {
    assertEquals(
        "sudo -n -H -u www-data -- /bin/sh -c 'export A=1; php occ status'",
        CommandBuilder.build(
            step(true, "www-data"),
            new ShellTemplate("php occ status", Map.of()),
            Map.of("A", "1")));
  }

  /** Template values reach the shell as data, whatever they contain and wherever they stand. */
  @Test
  void templateValuesCannotInjectShellSyntax() throws Exception {
    TemplateEngine engine = new TemplateEngine();
    String evil = "x'; touch pwned; echo \"$(id)\" `id` ; #";
    Map<String, Object> vars = Map.of("v", evil, "cmd", "printf %s", "nothing", "");
    ShellTemplate t =
        engine.renderShell(
            "{{ nothing }} {{ cmd }} \"[{{ v }}]\"; echo; echo '<{{ v }}>'; echo {{ v | quote }}; for i in 1 2; do echo {% for x in [1,2] %}{{ x }}{% endfor %}; done",
            vars);
    assertEquals(
        " \"${__ORCH_1}\" \"${__ORCH_2}\" \"[${__ORCH_3}]\"; echo; echo '<'\"${__ORCH_4}\"'>'; echo \"${__ORCH_5}\"; "
            + "for i in 1 2; do echo \"${__ORCH_6}\"\"${__ORCH_7}\"; done",
        t.text());
    Path dir = Files.createTempDirectory("shell-test");
    Process p =
        new ProcessBuilder("/bin/sh", "-c", CommandBuilder.build(step(false, "root"), t, Map.of()))
            .directory(dir.toFile())
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    assertEquals("[" + evil + "]\n<" + evil + ">\n" + evil + "\n12\n12\n", out);
    assertTrue(!Files.exists(dir.resolve("pwned")), "nothing injected");
    assertEquals(
        "echo raw; true",
        engine.renderShell("echo {{ c | raw }}; true", Map.of("c", "raw")).text(),
        "| raw opts out");
  }
}
