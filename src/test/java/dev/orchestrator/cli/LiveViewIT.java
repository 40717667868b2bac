package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.sandbox.TestFleet;
import dev.orchestrator.template.ShellQuote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live progress view in a real terminal (issue #7): the CLI runs inside tmux, and the test
 * reads the screen with {@code tmux capture-pane} while the run goes on.
 */
class LiveViewIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private final String session = "orchestrator-live-" + ProcessHandle.current().pid();

  @BeforeEach
  void fleet() throws IOException {
    Map<String, String> groups = new LinkedHashMap<>();
    groups.put("web1", "all_web");
    groups.put("web2", "all_web");
    groups.put("web3", "all_web");
    fleet = TestFleet.start(dir, groups);
  }

  @AfterEach
  void stop() throws Exception {
    tmux("kill-session", "-t", session);
    fleet.close();
  }

  private static boolean hasTmux() {
    try {
      return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  @Test
  void aRunInATerminalShowsBarsAndRunningHostsThenTheRecap() throws Exception {
    assumeTrue(hasTmux(), "tmux is not installed (apt-get install tmux; .ci/run installs it)");
    // given a playbook whose first step reports progress, then holds until the test has seen the
    // live area (a file 'release' in the host's home; at most two minutes), run inside a 140x40
    // terminal
    Path playbook = dir.resolve("pb.yml");
    Files.writeString(
        playbook,
        """
        name: slow
        steps:
          - id: download
            shell: >-
              for i in 1 2 3 4 5 6; do echo "::progress $i/6 chunk $i"; done;
              i=0; while [ ! -e release ] && [ $i -lt 2400 ]; do sleep 0.05; i=$((i+1)); done
          - id: install
            shell: "true"
          - id: restart
            shell: "true"
        """);
    List<String> command =
        Cli.controllerCommand(Cli.runArgs(playbook, fleet, dir.resolve("state")));
    Path script = dir.resolve("run.sh");
    Files.writeString(
        script,
        command.stream().map(ShellQuote::quote).collect(Collectors.joining(" "))
            + "; echo \"EXIT=$?\"; sleep 120\n");
    tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "140",
        "-y",
        "40",
        "-e",
        "TERM=xterm-256color",
        "sh " + script);
    // when the screen is read (a bounded poll) while the steps hold, then they are released and
    // the screen is read until the run ends
    List<String> screens = new CopyOnWriteArrayList<>();
    java.util.function.Predicate<String> bar =
        s -> s.matches("(?s).*stage all\\s+batch 1/1\\s+\\[[#>.]+\\].*");
    java.util.function.Predicate<String> progress =
        s -> s.matches("(?s).*\\n\\s+web\\d\\s+download .*chunk \\d.*");
    AtomicBoolean released = new AtomicBoolean();
    try {
      await("the run in tmux to end")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                String screen = tmux("capture-pane", "-p", "-t", session);
                screens.add(screen);
                if (screen.contains("EXIT=")) {
                  return true;
                }
                if (!released.get()
                    && screens.stream().anyMatch(bar)
                    && screens.stream().anyMatch(progress)) {
                  for (String h : List.of("web1", "web2", "web3")) {
                    Files.writeString(fleet.home(h).resolve("release"), "");
                  }
                  released.set(true);
                }
                return false;
              });
    } catch (ConditionTimeoutException notEnded) {
      // the assertions below show every screen read
    }
    String last = screens.get(screens.size() - 1);
    // then the live area showed the batch bar and the running hosts' steps and progress
    assertTrue(last.contains("EXIT=0"), last);
    assertTrue(screens.stream().anyMatch(bar), "a batch bar: " + String.join("\n----\n", screens));
    assertTrue(
        screens.stream().anyMatch(progress),
        "a running host with its step's progress: " + String.join("\n----\n", screens));
    // and the live area is gone at the end, the recap stays
    assertTrue(last.contains("RECAP"), last);
    assertTrue(last.matches("(?s).*web1\\s+ok=3\\s+changed=3.*"), last);
    assertTrue(!last.contains("running"), "no status area left: " + last);
  }

  /** Whether util-linux's {@code script} is there to give a command a terminal. */
  private static boolean hasScript() {
    try {
      return new ProcessBuilder("script", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static final java.util.regex.Pattern SGR =
      java.util.regex.Pattern.compile("\u001b\\[[0-9;]*m");

  /**
   * Runs the CLI with {@code env} set (null removes a variable); on a terminal of unknown size
   * ({@code script}'s, as {@code docker run -t} gives) when {@code tty}, else into a file.
   */
  private String output(boolean tty, Map<String, String> env, String... args) throws Exception {
    List<String> command = Cli.controllerCommand(args);
    Path out = Files.createTempFile(dir, "out", ".txt");
    ProcessBuilder pb =
        tty
            ? new ProcessBuilder(
                "script",
                "-qec",
                command.stream().map(ShellQuote::quote).collect(Collectors.joining(" ")),
                "/dev/null")
            : new ProcessBuilder(command);
    pb.environment().remove("NO_COLOR");
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    Process p =
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI finished");
    return Files.readString(out);
  }

  @Test
  void colourFollowsTheTerminalTermAndNoColorInEveryView() throws Exception {
    assumeTrue(hasScript(), "util-linux script is not installed");
    // given a playbook, run and planned in several terminals
    Path playbook = dir.resolve("pb.yml");
    Files.writeString(playbook, "name: colours\nsteps:\n  - id: touch\n    shell: touch f\n");
    int[] n = {0};
    java.util.function.Function<String, String[]> run =
        verb ->
            verb.equals("plan")
                ? new String[] {"plan", playbook.toString(), "-i", fleet.inventory().toString()}
                : Cli.runArgs(playbook, fleet, dir.resolve("state-" + n[0]++));
    for (String verb : List.of("run", "plan")) {
      // when standard output is a terminal with TERM=xterm (its size unknown, so no live view)
      String xterm = output(true, Map.of("TERM", "xterm"), run.apply(verb));
      // then there is colour
      assertTrue(SGR.matcher(xterm).find(), verb + " on an xterm: " + xterm);
      if (verb.equals("run")) {
        assertTrue(xterm.contains("\u001b[33mchanged\u001b[0m"), xterm);
        assertTrue(xterm.contains("\u001b[32msucceeded\u001b[0m"), xterm);
      }
      // and none with NO_COLOR, with TERM=dumb, without TERM, or into a file
      for (Map<String, String> env :
          List.of(
              Map.of("TERM", "xterm", "NO_COLOR", "1"),
              Map.of("TERM", "dumb"),
              new java.util.HashMap<String, String>(
                  java.util.Collections.singletonMap("TERM", null)))) {
        String plain = output(true, env, run.apply(verb));
        assertTrue(!SGR.matcher(plain).find(), verb + " with " + env + ": " + plain);
      }
      String file = output(false, Map.of("TERM", "xterm"), run.apply(verb));
      assertTrue(!SGR.matcher(file).find(), verb + " into a file: " + file);
    }
  }
}
