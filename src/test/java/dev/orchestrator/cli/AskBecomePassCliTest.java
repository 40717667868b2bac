package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -K}/{@code --ask-become-pass}: asked once without echo on the terminal, the value of
 * {@code ansible_become_password} for the run, never stored, printed or logged; refused without a
 * terminal.
 */
class AskBecomePassCliTest {
  private static final String PASSWORD = "Kx9-very-secret-sudo";

  @TempDir Path dir;
  @TempDir Path home;

  @BeforeEach
  void playbook() throws Exception {
    // a playbook whose steps become root and would print the password were it not masked
    Files.writeString(
        dir.resolve("site.yml"),
        """
        - hosts: all
          gather_facts: false
          become: true
          tasks:
            - name: Show it
              debug:
                msg: "the password is {{ ansible_become_password }}"
            - name: Use it
              shell: test {{ ansible_become_password | length }} -eq 20
        """);
    Files.writeString(dir.resolve("hosts.ini"), "h1 ansible_connection=local\n");
  }

  private List<String> args(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                dir.resolve("site.yml").toString(),
                "-i",
                dir.resolve("hosts.ini").toString(),
                "--state-dir",
                dir.resolve("state").toString()));
    args.addAll(List.of(extra));
    return args;
  }

  private Cli.Result run(Keyboard keyboard, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            Terminal.captured(keyboard),
            home,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            args.toArray(String[]::new));
    return new Cli.Result(code, out.toString(), err.toString());
  }

  /** A terminal where the password is typed, counting the questions. */
  private static Keyboard typing(AtomicInteger asked) {
    return new Keyboard() {
      @Override
      public Optional<char[]> secret(String prompt) {
        asked.incrementAndGet();
        return Optional.of(PASSWORD.toCharArray());
      }

      @Override
      public Optional<String> line(String prompt) {
        return Optional.empty();
      }
    };
  }

  @Test
  void withoutATerminalItIsRefusedSayingHowToPassIt() {
    // when -K is given and there is no terminal
    Cli.Result run = run(Keyboard.NONE, args("-K"));
    // then exit 2 before anything runs, naming the secrets file way
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains("--secrets-file"), run.err());
    assertFalse(Files.exists(dir.resolve("state")), "nothing was stored");
  }

  @Test
  void thePasswordIsAskedOnceUsedAndFoundNowhere() throws Exception {
    // when the run is given -K and the password is typed
    AtomicInteger asked = new AtomicInteger();
    Cli.Result run = run(typing(asked), args("--ask-become-pass"));
    // then it was asked once and the steps had it (its length is checked on the host)
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals(1, asked.get());
    // and the step that printed it logged it masked
    Cli.Result logs =
        Cli.withLocalHome(home)
            .run(
                "logs",
                run.runId(),
                "--host",
                "h1",
                "--state-dir",
                dir.resolve("state").toString());
    assertTrue(logs.out().contains("the password is ********"), logs.out() + logs.err());
    // and it is in none of the console, the state folder (the events, checkpoints) or the report
    assertFalse(run.out().contains(PASSWORD), run.out());
    assertFalse(run.err().contains(PASSWORD), run.err());
    Cli.Result report =
        Cli.withLocalHome(home)
            .run("report", run.runId(), "--state-dir", dir.resolve("state").toString());
    assertEquals(0, report.exitCode(), report.out() + report.err());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir.resolve("state"))) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("report.html")));
    for (Path f : files) {
      assertFalse(
          new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
              .contains(PASSWORD),
          f.toString());
    }
  }
}
