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
 * {@code run -v}: each step's output under its line on the console and as {@code step_output}
 * events, secrets masked and control characters escaped; without {@code -v}, neither.
 */
class VerboseCliTest {
  private Cli.Session cli;

  @TempDir Path dir;

  @BeforeEach
  void files(@TempDir Path home) throws Exception {
    cli = Cli.withLocalHome(home);
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        steps:
          - id: hello
            shell: echo "hello out"; echo "db is $DB_PASSWORD"; printf 'bell\\033]0;x\\007\\n' >&2
            environment:
              DB_PASSWORD: "{{ db_password }}"
        """);
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
  }

  private Cli.Result run(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                dir.resolve("pb.yml").toString(),
                "-i",
                dir.resolve("inv.yml").toString(),
                "-e",
                "db_password=s3cr3t-value",
                "--state-dir",
                dir.resolve("state").toString()));
    args.addAll(List.of(extra));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void theStepsOutputIsShownUnderItsLineMaskedAndEscaped() {
    // when the run is verbose
    Cli.Result run = run("-v");
    // then the output follows the step's line, the secret masked, the escape shown escaped
    assertEquals(0, run.exitCode(), run.out() + run.err());
    List<String> lines = run.out().lines().toList();
    int step =
        lines.indexOf(
            lines.stream()
                .filter(l -> l.matches("\\[h1] \\w+ +hello .*"))
                .findFirst()
                .orElseThrow());
    assertEquals("[h1]   stdout | hello out", lines.get(step + 1), run.out());
    assertEquals("[h1]   stdout | db is ********", lines.get(step + 2), run.out());
    assertTrue(lines.get(step + 3).startsWith("[h1]   stderr | bell\\u001b]0;x"), run.out());
    assertFalse(run.out().contains("s3cr3t-value"), run.out());
    assertFalse(run.out().contains("\u001b"), run.out());
  }

  @Test
  void theOutputIsAnEventWithJsonAndAbsentWithoutV() {
    // when the run is verbose with JSON events, then once without -v
    Cli.Result json = run("-v", "-o", "json");
    Cli.Result quiet = run();
    // then the JSON stream has a step_output event, masked; the plain run shows no output
    assertEquals(0, json.exitCode(), json.out() + json.err());
    assertTrue(
        json.out()
            .lines()
            .anyMatch(l -> l.contains("\"event\":\"step_output\"") && l.contains("db is ********")),
        json.out());
    assertFalse(json.out().contains("s3cr3t-value"), json.out());
    assertFalse(quiet.out().contains("hello out"), quiet.out());
  }

  @Test
  void resumeTakesItToo() throws Exception {
    // given a run paused at a step that fails until a file exists
    Files.writeString(
        dir.resolve("pb.yml"),
        """
        steps:
          - id: wait
            shell: echo "looking"; test -e %s
        """
            .formatted(dir.resolve("go")));
    Cli.Result run = run();
    assertEquals(3, run.exitCode(), run.out() + run.err());
    // when it is resumed with -v once the file exists
    Files.writeString(dir.resolve("go"), "");
    Cli.Result resume =
        cli.run(
            "resume",
            run.runId(),
            "-v",
            "-e",
            "db_password=x",
            "--state-dir",
            dir.resolve("state").toString());
    // then the step's output is shown
    assertEquals(0, resume.exitCode(), resume.out() + resume.err());
    assertTrue(resume.out().contains("[h1]   stdout | looking"), resume.out());
  }
}
