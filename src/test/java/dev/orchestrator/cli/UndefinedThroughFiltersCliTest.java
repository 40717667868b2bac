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
 * An undefined variable through a filter, end to end through the CLI and the local transport:
 * {@code rm -rf {{ nope | quote }}/cache} is refused before anything runs (exit 2,
 * file:line:column, the {@code default()} hint, nothing written) instead of running {@code rm -rf
 * ''/cache}; a registered result's missing key fails its step at run time before the command is
 * sent.
 */
class UndefinedThroughFiltersCliTest {
  @TempDir Path dir;
  private Cli.Session cli;

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
  void anUndefinedVariableThroughAFilterIsRefusedBeforeAnythingRuns() throws Exception {
    // given a step whose undefined value goes through quote (and one through join, int)
    Path cache = Files.createDirectories(dir.resolve("cache"));
    Files.writeString(cache.resolve("keep"), "data");
    for (String filter : List.of("quote", "join | quote", "int", "length")) {
      Files.writeString(
          dir.resolve("pb.yml"),
          "name: u\nsteps:\n  - id: a\n    shell: \"touch "
              + dir.resolve("ran")
              + "; rm -rf "
              + dir
              + "/{{ nope | "
              + filter
              + " }}/cache\"\n");
      for (String command : List.of("validate", "plan", "run")) {
        // when it is validated, planned or run
        Cli.Result r = cli(command);

        // then exit 2 naming the variable where it is used, with the default() idiom
        assertEquals(2, r.exitCode(), filter + " " + command + ": " + r.out() + r.err());
        assertTrue(
            r.err()
                .contains(
                    dir.resolve("pb.yml")
                        + ":3:5: step 'a', shell, on host 'h1': undefined variable 'nope'"),
            r.err());
        assertTrue(r.err().contains("{{ nope | default('...') }}"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
      }
    }
    // and nothing ran, nothing was deleted, nothing was written
    assertFalse(Files.exists(dir.resolve("ran")), "nothing ran");
    assertEquals("data", Files.readString(cache.resolve("keep")));
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");
  }

  @Test
  void defaultEmptyStillAsksForAnEmptyWord() throws Exception {
    // given an optional value made empty on purpose
    Path out = dir.resolve("out");
    Files.writeString(
        dir.resolve("pb.yml"),
        "name: u\nsteps:\n  - id: a\n    shell: \"printf '[%s]' {{ nope | default('') | quote }} > "
            + out
            + "\"\n");

    // when it runs, then the command got one empty word
    Cli.Result r = cli("run");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertEquals("[]", Files.readString(out));
  }

  @Test
  void aRegisteredResultsMissingKeyIsRefusedBeforeAnythingRuns() throws Exception {
    // given a step using a typo of a registered result's key through quote
    Path ran = dir.resolve("ran");
    Files.writeString(
        dir.resolve("pb.yml"),
        "name: u\nsteps:\n  - id: a\n    shell: echo hi\n    register: r\n"
            + "  - id: b\n    shell: \"touch "
            + ran
            + "; echo {{ r.stdot | quote }}\"\n");

    // when it is planned: refused, a registered result has no stdot (issue 22)
    Cli.Result plan = cli("plan");
    assertEquals(2, plan.exitCode(), plan.out() + plan.err());
    assertTrue(
        plan.err()
            .contains(
                dir.resolve("pb.yml")
                    + ":6:5: step 'b', shell, on host 'h1': 'r.stdot' is not a field of a registered"
                    + " result"),
        plan.err());

    // when it is run: refused before anything runs
    Cli.Result run = cli("run");
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertFalse(Files.exists(ran), "the command was not sent");
  }
}
