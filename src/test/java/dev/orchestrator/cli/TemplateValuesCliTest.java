package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Template values in shell commands, end to end through the CLI and the local transport: a value
 * that would be parsed again as code is refused before anything runs (exit 2, where, what to do),
 * and values reach the command as data whatever their quoting context (issue 11, item 2).
 */
class TemplateValuesCliTest {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  @TempDir Path dir;

  @BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  private Cli.Result cli(String command, String... extra) throws Exception {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    List<String> args =
        new ArrayList<>(
            List.of(
                command,
                dir.resolve("pb.yml").toString(),
                "-i",
                dir.resolve("inv.yml").toString()));
    if (command.equals("run")) {
      args.addAll(List.of("--state-dir", dir.resolve("state").toString()));
    }
    args.addAll(List.of(extra));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void aValueInANestedShellIsRefusedAtValidationWithTheSafeIdiom() throws Exception {
    // given a step that puts a value inside sudo sh -c '...'
    Files.writeString(
        dir.resolve("pb.yml"),
        "vars: {path: /tmp/x}\nsteps:\n  - id: clean\n    shell: sudo sh -c 'rm -rf {{ path }}; touch "
            + dir.resolve("ran")
            + "'\n");
    for (String command : List.of("validate", "plan", "run")) {
      // when it is validated, planned or run
      Cli.Result r = cli(command);
      // then: exit 2, the file, line and step, why, and the positional-parameter idiom
      assertEquals(2, r.exitCode(), command + ": " + r.out() + r.err());
      assertTrue(
          r.err()
              .contains(
                  dir.resolve("pb.yml")
                      + ":4:12: step 'clean', 'shell': {{ path }} would"
                      + " be parsed again as code: it would reach `sh -c`"),
          r.err());
      assertTrue(
          r.err()
              .contains(
                  "hint: pass the value to the inner shell as a positional parameter: sh"
                      + " -c 'echo \"$1\"' _ {{ path | quote }}"),
          r.err());
      assertFalse(r.err().contains("\tat "), "no stack trace");
    }
    assertFalse(Files.exists(dir.resolve("ran")), "nothing ran");
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");
  }

  @Test
  void checkProbesAndHealthGateShellsFollowTheSameRule() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: a\n    shell: 'true'\n    register: r\n    check: \"su -c 'id {{ user }}'\"\n");
    Cli.Result probe = cli("validate");
    assertEquals(2, probe.exitCode(), probe.err());
    assertTrue(probe.err().contains("step 'a', 'check': {{ user }} would be parsed"), probe.err());
    Files.writeString(
        dir.resolve("pb.yml"),
        "stages:\n  - name: s\n    hosts: all\n    gates:\n      - health: {shell: \"eval {{ probe }}\"}\n"
            + "steps:\n  - id: a\n    shell: 'true'\n");
    Cli.Result gate = cli("validate");
    assertEquals(2, gate.exitCode(), gate.err());
    assertTrue(
        gate.err().contains("health gate, 'shell': {{ probe }} would be parsed"), gate.err());
  }

  @Test
  void anEnvironmentVariableCannotReplaceATemplateValue() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: a\n    shell: echo {{ v }}\n    environment: {__ORCH_1: x}\n");
    Cli.Result r = cli("validate", "-e", "v=1");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(
        r.err()
            .contains(":4:19: environment variable names starting with __ORCH_ are" + " reserved"),
        r.err());
  }

  @Test
  void aValueBehindAnExpansionCommandWordIsRefusedBeforeAnythingRuns() throws Exception {
    // given issue 22's first form: the nested shell is $SHELL, only known at run time
    Path pwned = dir.resolve("pwned");
    Files.writeString(
        dir.resolve("pb.yml"), "steps:\n  - id: a\n    shell: $SHELL -c \"echo {{ v }}\"\n");
    for (String command : List.of("validate", "plan", "run")) {
      // when it is validated, planned or run with a hostile value
      Cli.Result r = cli(command, "-e", "v=$(touch " + pwned + ")");
      // then: exit 2, where and why, and nothing ran
      assertEquals(2, r.exitCode(), command + ": " + r.out() + r.err());
      assertTrue(
          r.err().contains(":3:12: step 'a', 'shell': {{ v }} would be parsed again"), r.err());
      assertTrue(r.err().contains("`$SHELL`, a program only known when the command runs"), r.err());
    }
    assertFalse(Files.exists(pwned));
  }

  @Test
  void aCommandWordFromAValueIsCheckedPerHostByPlanAndRun() throws Exception {
    // given a command word that is a template value, which names eval on this host
    Path pwned = dir.resolve("pwned");
    Files.writeString(dir.resolve("pb.yml"), "steps:\n  - id: a\n    shell: \"{{ w }} {{ v }}\"\n");
    String[] vars = {"-e", "w=eval", "-e", "v=touch " + pwned};
    // when it is planned or run, then it is refused with the step and host, and nothing runs
    for (String command : List.of("plan", "run")) {
      Cli.Result r = cli(command, vars);
      assertEquals(2, r.exitCode(), command + ": " + r.out() + r.err());
      assertTrue(r.err().contains("on host 'h1': {{ v }} would be parsed again"), r.err());
      assertTrue(r.err().contains("names on this host"), r.err());
    }
    assertFalse(Files.exists(pwned));
  }

  @Test
  void aNonIntegerInShellArithmeticIsRefusedWithTheStepAndHost() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: count\n    shell: echo $(( {{ n }} + 1 )) > " + dir.resolve("ran") + "\n");
    Cli.Result r = cli("run", "-e", "n=a[$(touch " + dir.resolve("pwned") + ")]");
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(
        r.err()
            .contains("step 'count', shell, on host 'h1': {{ n }} stands in shell" + " arithmetic"),
        r.err());
    assertTrue(r.err().contains("hint: give it an integer value"), r.err());
    assertFalse(Files.exists(dir.resolve("ran")));
    assertFalse(Files.exists(dir.resolve("pwned")));
  }

  @Test
  void valuesReachTheLocalShellAsDataInEveryQuotingContext() throws Exception {
    // given hostile values in the contexts the issue reported, run by the local transport
    Path out = dir.resolve("out");
    String canary = dir.resolve("pwned").toString();
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: a\n    shell: |\n"
            + "      printf '%s|' '{{ v | quote }}' \"{{ v | quote }}\" {{ v | quote }} \"$(printf %s {{ w }})\" > "
            + out
            + "\n      cat >> "
            + out
            + " <<EOF\n      {{ v }}\n      EOF\n");
    String v = "; touch " + canary + " '$(touch " + canary + ")' `touch " + canary + "` *";
    Cli.Result r = cli("run", "-e", "v=" + v, "-e", "w=*");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertFalse(Files.exists(Path.of(canary)), "no payload ran");
    assertEquals(v + "|" + v + "|" + v + "|*|" + v + "\n", Files.readString(out));
  }
}
