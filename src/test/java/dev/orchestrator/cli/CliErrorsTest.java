package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends with a clear message, exit code 2, no stack trace and nothing written. */
class CliErrorsTest {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  /** connection: local works in the user's home; give each test its own (leases live there). */
  @org.junit.jupiter.api.BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  @TempDir Path dir;

  /** {@code run pb.yml -i inv.yml --state-dir state} in the test folder, with more arguments. */
  private Cli.Result runLocal(String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "run",
                dir.resolve("pb.yml").toString(),
                "-i",
                dir.resolve("inv.yml").toString(),
                "--state-dir",
                dir.resolve("state").toString()));
    args.addAll(java.util.List.of(extra));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void everyCommandHasHelpWithAnExample() {
    for (String command :
        java.util.List.of(
            "run",
            "resume",
            "approve",
            "reject",
            "abort",
            "unlock",
            "plan",
            "validate",
            "logs",
            "status",
            "inventory",
            "report",
            "sandbox",
            "completion")) {
      Cli.Result r = cli.run(command, "--help");
      assertEquals(0, r.exitCode(), command + ": " + r.err());
      assertTrue(r.out().contains("Usage: orchestrator " + command), command + ": " + r.out());
      assertTrue(r.out().contains("Example"), command + " --help has an example: " + r.out());
    }
  }

  @Test
  void completionScriptCoversCommandsAndOptions() {
    Cli.Result r = cli.run("completion");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out());
    for (String word : java.util.List.of("resume", "--retry-failed", "--no-progress", "report")) {
      assertTrue(r.out().contains(word), word);
    }
  }

  @Test
  void malformedPlaybookGivesPositionHintAndExit2WithoutWritingState() throws Exception {
    Files.writeString(dir.resolve("pb.yml"), "steps:\n  - id: a\n    shel: echo\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result r = runLocal();
    assertEquals(2, r.exitCode());
    assertTrue(
        r.err()
            .startsWith("error: " + dir.resolve("pb.yml") + ":3:5: unknown key 'shel' in a step"),
        r.err());
    assertTrue(r.err().contains("hint: did you mean 'shell'?"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
    assertFalse(Files.exists(dir.resolve("state")), "nothing written to the state store");
  }

  @Test
  void undefinedVariableNamesStepAndVariableBeforeAnythingRuns() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: greet\n    shell: echo {{ who }} > " + dir.resolve("ran") + "\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result r = runLocal();
    assertEquals(2, r.exitCode());
    assertTrue(
        r.err().contains("step 'greet', shell, on host 'h1': undefined variable 'who'"), r.err());
    assertFalse(Files.exists(dir.resolve("ran")));
    assertFalse(Files.exists(dir.resolve("state")));
  }

  @Test
  void localConnectionRunsStepsOnTheController() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: greet\n    shell: echo {{ who }} > " + dir.resolve("ran") + "\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result r = runLocal("-e", "who=world");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertEquals("world", Files.readString(dir.resolve("ran")).trim());
  }

  @Test
  void unknownOptionIsAUsageError() {
    Cli.Result r = cli.run("run", "--frobnicate");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("hint: see 'orchestrator run --help'"), r.err());
  }

  @Test
  void aBlankStateOptionIsAnInputErrorNotTheDefaultFolder() {
    // given --state "" (as "$UNSET_VARIABLE" expands)
    // when a command reads it
    Cli.Result r = cli.run("status", "--state-dir", dir.toString(), "--state", "");
    // then it is refused with exit 2, saying what to pass instead
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--state is empty"), r.err());
    assertTrue(r.err().contains("leave --state out"), r.err());
  }

  @Test
  void resumeOfAnUnknownRunSaysWhichRunsExist() {
    Cli.Result r = cli.run("resume", "nope", "--state-dir", dir.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("there is no run 'nope'"), r.err());
  }

  @Test
  void aVeryLongArgumentIsNamedByItsStartNotRepeatedInFull() {
    // given 5,000-character arguments: a run id, an unknown option, an unknown command
    String longId = "r" + "x".repeat(4999);
    for (String[] args :
        new String[][] {
          {"resume", longId, "--state-dir", dir.toString()},
          {"status", longId, "--state-dir", dir.toString()},
          {"run", "p.yml", "--forks", "y".repeat(5000)},
          {"z".repeat(5000)},
        }) {
      // when the CLI refuses it
      Cli.Result r = cli.run(args);
      // then the error says how long it was, not all of it
      assertEquals(2, r.exitCode(), args[0]);
      assertTrue(r.err().contains("(5000 characters)"), args[0] + ": " + r.out() + r.err());
      assertTrue(r.err().length() < 1000, args[0] + ": " + r.err().length() + " characters");
    }
  }

  @Test
  void inventoryListsHostsWithSecretsMasked() throws Exception {
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  vars:\n    db_password: hunter2\n  hosts:\n    h1:\n      port: 2200\n");
    Cli.Result r = cli.run("inventory", "-i", dir.resolve("inv.yml").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("h1  ssh://"), r.out());
    assertTrue(r.out().contains("db_password: ********"), r.out());
    assertFalse(r.out().contains("hunter2"));
  }

  @Test
  void secretsNeverReachTheConsoleTheLogsOrTheStateStore() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: leak\n    shell: echo \"token is {{ api_token }}\"; echo {{ api_token }} >&2; exit 1\n    register: out\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result r = runLocal("-e", "api_token=s3cr3t-value-42");
    assertEquals(3, r.exitCode(), r.out() + r.err());
    assertFalse(r.out().contains("s3cr3t-value-42"), r.out());
    assertTrue(r.out().contains("exit code 1: ********"), r.out());
    try (var files = Files.walk(dir.resolve("state"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        assertFalse(text.contains("s3cr3t-value-42"), f + " holds the secret: " + text);
      }
    }
    try (var logs = Files.walk(dir.resolve("state"))) {
      Path log = logs.filter(p -> p.toString().endsWith("leak.1.log")).findFirst().orElseThrow();
      assertTrue(Files.readString(log).contains("token is ********"), Files.readString(log));
    }
  }

  @Test
  void secretsFilesAndSecretVarsAreMaskedAndReadAgainOnResume() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "secret_vars: [license]\nsteps:\n  - id: show\n    shell: echo \"{{ license }} {{ apikey }}\"; test -e "
            + dir.resolve("ok")
            + "\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Files.writeString(dir.resolve("secrets.yml"), "apikey: abcd-1234-efgh\n");
    Cli.Result r =
        runLocal(
            "--secrets-file", dir.resolve("secrets.yml").toString(), "-e", "license=LIC-998877");
    assertEquals(3, r.exitCode(), r.out() + r.err());
    try (var files = Files.walk(dir.resolve("state"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f);
        assertFalse(
            text.contains("abcd-1234-efgh") || text.contains("LIC-998877"), f + ": " + text);
      }
    }
    Files.writeString(dir.resolve("ok"), "");
    String id = r.runId();
    Cli.Result resumed =
        cli.run(
            "resume",
            id,
            "--state-dir",
            dir.resolve("state").toString(),
            "-e",
            "license=LIC-998877");
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
  }

  @Test
  void validateChecksWithoutRunningAndLogsPrintAHostsSteps() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"), "steps:\n  - id: greet\n    shell: echo hello {{ who }}\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result invalid =
        cli.run(
            "validate", dir.resolve("pb.yml").toString(), "-i", dir.resolve("inv.yml").toString());
    assertEquals(2, invalid.exitCode());
    assertTrue(invalid.err().contains("undefined variable 'who'"), invalid.err());
    Cli.Result valid =
        cli.run(
            "validate",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "-e",
            "who=world");
    assertEquals(0, valid.exitCode(), valid.err());
    assertTrue(valid.out().contains("is valid for"), valid.out());

    Cli.Result run = runLocal("-e", "who=world");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    String id = run.runId();
    Cli.Result logs =
        cli.run("logs", id, "--host", "h1", "--state-dir", dir.resolve("state").toString());
    assertEquals(0, logs.exitCode(), logs.err());
    assertTrue(logs.out().contains("==> h1 greet attempt 1"), logs.out());
    assertTrue(logs.out().contains("] out: hello world\n"), logs.out());
  }

  @Test
  void resumeEchoesAStepIdThatNamesNothingEscaped() throws Exception {
    // given a run paused at a failing step
    Files.writeString(dir.resolve("pb.yml"), "steps:\n  - id: fails\n    shell: exit 1\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result paused = runLocal();
    assertNotEquals(0, paused.exitCode(), paused.out() + paused.err());
    String state = dir.resolve("state").toString();
    // when resume is given a step id with terminal escapes
    String escape = "\u001b[31mX\nY\u001b]0;pwn\u0007Z";
    for (String[] args :
        new String[][] {{"--rerun-step", escape}, {"--skip-step", escape, "--host", "h1"}}) {
      java.util.List<String> all =
          new java.util.ArrayList<>(
              java.util.List.of("resume", paused.runId(), "--state-dir", state));
      all.addAll(java.util.List.of(args));
      Cli.Result hostile = cli.run(all.toArray(String[]::new));
      // then it is refused and echoed escaped, as logs --host/--step echo theirs
      assertEquals(2, hostile.exitCode(), hostile.out() + hostile.err());
      assertFalse(hostile.err().contains("\u001b"), hostile.err());
      assertFalse(hostile.err().contains("\u0007"), hostile.err());
      assertTrue(hostile.err().contains("\\u001b[31mX\\u000aY"), hostile.err());
    }
  }

  @Test
  void logsOfAnUnknownStepAndTagsThatSelectNothingAreErrorsNamingWhatExists() throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: greet\n    shell: echo hello\n    tags: [hello]\n"
            + "  - id: wave\n    shell: echo wave\n");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");

    // --tags naming no step's tag: nothing runs, nothing is written
    Cli.Result typo = runLocal("--tags", "helo");
    assertEquals(2, typo.exitCode(), typo.out() + typo.err());
    assertTrue(typo.err().contains("--tags 'helo': no step of"), typo.err());
    assertTrue(typo.err().contains("did you mean hello?"), typo.err());
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");

    Cli.Result run = runLocal();
    assertEquals(0, run.exitCode(), run.out() + run.err());
    String state = dir.resolve("state").toString();

    // logs --step of a step that does not exist
    Cli.Result unknown =
        cli.run("logs", run.runId(), "--host", "h1", "--step", "gret", "--state-dir", state);
    assertEquals(2, unknown.exitCode(), unknown.out() + unknown.err());
    assertEquals("", unknown.out());
    assertTrue(unknown.err().contains("has no logs of a step 'gret' on host 'h1'"), unknown.err());
    assertTrue(unknown.err().contains("steps with logs on h1: greet, wave"), unknown.err());

    // a host or step given with terminal escapes or of 5,000 characters is echoed escaped, cut
    String escape = "\u001b[31mX\nY\u001b]0;pwn\u0007Z";
    for (String[] args :
        new String[][] {
          {"--host", escape}, {"--host", "h1", "--step", escape}, {"--host", "A".repeat(5000)}
        }) {
      java.util.List<String> all =
          new java.util.ArrayList<>(java.util.List.of("logs", run.runId(), "--state-dir", state));
      all.addAll(java.util.List.of(args));
      Cli.Result hostile = cli.run(all.toArray(String[]::new));
      assertEquals(2, hostile.exitCode(), hostile.err());
      assertFalse(hostile.err().contains("\u001b"), hostile.err());
      assertFalse(hostile.err().contains("\u0007"), hostile.err());
      assertFalse(hostile.err().contains("A".repeat(200)), hostile.err());
      assertTrue(
          hostile.err().contains("\\u001b[31mX\\u000aY")
              || hostile.err().contains("(5000 characters)"),
          hostile.err());
    }

    Cli.Result known =
        cli.run("logs", run.runId(), "--host", "h1", "--step", "wave", "--state-dir", state);
    assertEquals(0, known.exitCode(), known.err());
    assertTrue(known.out().contains("==> h1 wave attempt 1"), known.out());
    assertFalse(known.out().contains("greet"), known.out());
  }
}
