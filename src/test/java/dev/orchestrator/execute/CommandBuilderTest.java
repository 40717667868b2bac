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
        dev.orchestrator.playbook.StepExtras.NONE,
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
  void becomeWrapsEverythingInSudosShellReadingAHereDocument() {
    String built =
        CommandBuilder.build(
            step(true, "www-data"),
            new ShellTemplate("php occ status", Map.of()),
            Map.of("A", "1"));
    assertTrue(
        built.matches(
            "sudo -n -H -u www-data -- /bin/sh -s <<'(__ORCH_EOF_[0-9a-f]{16})'\n"
                + "\\( eval 'export A=1; php occ status' \\) </dev/null\n\\1\n"),
        built);
  }

  /**
   * A fake {@code sudo} that records its arguments, then runs the command after {@code --} (as sudo
   * would, as the same user).
   */
  private static Path fakeSudo(Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path sudo = bin.resolve("sudo");
    Files.writeString(
        sudo,
        "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$ARGS_LOG\"\n"
            + "while [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"\n");
    sudo.toFile().setExecutable(true);
    return bin;
  }

  /** Runs a built command as the transports do: the script of a /bin/sh -s, on its stdin. */
  private static String runViaStdin(String command, Path dir, Map<String, String> env)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").directory(dir.toFile());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(dev.orchestrator.transport.StdinScript.bytes(command));
    }
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  /**
   * Become and detached steps get the values as data, byte for byte, and never as a process's
   * argument, whatever the values hold (quotes, substitutions, newlines, here-document delimiters).
   */
  @Test
  void becomeAndDetachedCommandsKeepValuesOffCommandLines() throws Exception {
    Path dir = Files.createTempDirectory("become-test");
    Path bin = fakeSudo(dir);
    Path argsLog = dir.resolve("sudo-args");
    Map<String, String> env =
        Map.of(
            "PATH",
            bin + ":" + System.getenv("PATH"),
            "ARGS_LOG",
            argsLog.toString(),
            "HOME",
            dir.toString());
    java.util.List<String> hostile =
        java.util.List.of(
            "pw'\n__ORCH_EOF_x\n$(touch pwned)",
            "pw\"; touch pwned; echo \"",
            "pw`touch pwned`",
            "pw\nEOF\n)\n'\n",
            "pw\\' && touch pwned || true #",
            "pw * ? [a] ~ & | < > ;",
            "pwé✓\t\r");
    int n = 0;
    for (String secret : hostile) {
      ShellTemplate t =
          new ShellTemplate("printf '[%s]' \"${__ORCH_1}\"", Map.of("__ORCH_1", secret));
      String become = CommandBuilder.build(step(true, "www-data"), t, Map.of());
      assertEquals("[" + secret + "]", runViaStdin(become, dir, env), secret);
      String detached = CommandBuilder.detached("run-1", "h1", "s", ++n, become);
      assertEquals("[" + secret + "]", runViaStdin(detached, dir, env), secret);
      String sudoArgs = Files.readString(argsLog);
      assertTrue(sudoArgs.contains("/bin/sh\n-s\n"), sudoArgs);
      assertTrue(!sudoArgs.contains("pw"), "the value is not among sudo's arguments: " + sudoArgs);
    }
    assertTrue(!Files.exists(dir.resolve("pwned")), "nothing injected");
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
