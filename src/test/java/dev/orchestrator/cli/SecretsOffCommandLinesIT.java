package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.TestFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secret values never appear on a command line: while each step runs (a plain step, one with the
 * secret in its environment, a detached one), no process of the machine has the secret in its
 * {@code /proc/PID/cmdline}. Over {@code connection: local}, over SSH with the long-lived shell and
 * with an exec channel per step (the test's SSH servers run commands as child processes of this
 * JVM, so their command lines are visible here too).
 */
class SecretsOffCommandLinesIT {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  @TempDir Path dir;

  private static final List<String> STEPS = List.of("plain", "env", "detached");

  /**
   * Each step signals that it runs (touches STEP.started), then waits for the test to touch
   * STEP.release: the test reads every command line in between.
   */
  private static String playbook() {
    String wait = "while [ ! -e %1$s.release ]; do sleep 0.05; done";
    return """
        hosts: all
        steps:
          - id: plain
            shell: "test -n {{ db_password }} && touch plain.started && %s"
          - id: env
            environment: {PGPASSWORD: "{{ db_password }}"}
            shell: "test -n \\"$PGPASSWORD\\" && touch env.started && %s"
          - id: detached
            detached: true
            shell: "test -n {{ db_password }} && touch detached.started && %s"
        """
        .formatted(wait.formatted("plain"), wait.formatted("env"), wait.formatted("detached"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "ssh-shell", "ssh-exec-per-step"})
  void noProcessShowsTheSecretWhileStepsRun(String transport) throws Exception {
    byte[] random = new byte[12];
    new java.security.SecureRandom().nextBytes(random);
    String secret = "s3cr3t" + HexFormat.of().formatHex(random);
    Path pb = dir.resolve("pb.yml");
    Files.writeString(pb, playbook());
    List<String> args = new ArrayList<>();
    Path home;
    TestFleet fleet = null;
    if (transport.equals("local")) {
      home = Files.createDirectories(dir.resolve("home"));
      cli = Cli.withLocalHome(home);
      Path inv = dir.resolve("inv.yml");
      Files.writeString(inv, "all:\n  hosts:\n    h1: {connection: local}\n");
      args.addAll(List.of("run", pb.toString(), "-i", inv.toString()));
    } else {
      fleet = TestFleet.start(dir, Map.of("h1", "web"));
      home = fleet.home("h1");
      args.addAll(List.of("run", pb.toString(), "-i", fleet.inventory().toString()));
      args.addAll(List.of("--known-hosts", fleet.knownHosts().toString()));
      if (transport.equals("ssh-exec-per-step")) {
        args.add("--ssh-exec-per-step");
      }
    }
    args.addAll(List.of("--state-dir", dir.resolve("state").toString(), "-e"));
    args.add("db_password=" + secret);
    CompletableFuture<Cli.Result> run =
        CompletableFuture.supplyAsync(() -> cli.run(args.toArray(String[]::new)));
    try {
      for (String step : STEPS) {
        awaitFile(home.resolve(step + ".started"), run);
        // then: while the step runs, its shell is visible, the secret is not
        List<String> ours = commandLines(ProcessHandle.current().descendants());
        assertTrue(
            ours.stream().anyMatch(c -> c.contains("sh")),
            step + ": the step's shell is among this JVM's processes: " + ours);
        List<String> leaking =
            commandLines(ProcessHandle.allProcesses()).stream()
                .filter(c -> c.contains(secret))
                .toList();
        assertEquals(List.of(), leaking, step + " over " + transport + ": the secret is in ps");
        Files.writeString(home.resolve(step + ".release"), "");
      }
      Cli.Result r = run.get(120, TimeUnit.SECONDS);
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertFalse(r.out().contains(secret), "the console masks the secret");
    } finally {
      // whatever failed: let every step end, so that the run (and the CLI's lock) is released
      for (String step : STEPS) {
        Files.writeString(home.resolve(step + ".release"), "");
      }
      try {
        run.get(120, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // the assertions above report what matters
      }
      if (fleet != null) {
        fleet.close();
      }
    }
  }

  /** Waits for the step's signal (or the run's end, which fails the test). */
  private static void awaitFile(Path file, CompletableFuture<Cli.Result> run) throws Exception {
    await(file.getFileName() + " to appear")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(file) || run.isDone());
    if (!Files.exists(file)) {
      Cli.Result r = run.get();
      throw new AssertionError(
          "the run ended before " + file.getFileName() + ": " + r.out() + r.err());
    }
  }

  /** The command lines (arguments joined by spaces) of the processes still there to be read. */
  private static List<String> commandLines(Stream<ProcessHandle> processes) {
    List<String> out = new ArrayList<>();
    processes.forEach(
        p -> {
          try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
            out.add(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
          } catch (IOException | SecurityException e) {
            // the process ended meanwhile, or is not ours to read
          }
        });
    return out;
  }
}
