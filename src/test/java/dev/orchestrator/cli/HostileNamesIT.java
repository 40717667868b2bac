package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names never become paths: a real run over the local connection with host names that are path
 * escapes, dot names, separators and a very long name writes nothing outside the state folder (and
 * the hosts' own record folder), and run ids on the command line never reach outside it.
 */
class HostileNamesIT {
  /** The CLI under test; its local hosts live in the test's home folder (set per test). */
  private Cli.Session cli =
      Cli.withLocalHome(java.nio.file.Path.of(System.getProperty("user.home")));

  private static final List<String> HOSTILE =
      List.of(
          "../../../../x",
          "../../../../../y",
          "..",
          ".",
          ".hidden",
          "a/b",
          "%2E.",
          "prod-ü",
          "h".repeat(300));

  @TempDir Path root;
  Path home;
  Path state;

  @BeforeEach
  void localHome() throws IOException {
    home = Files.createDirectories(root.resolve("home"));
    cli = Cli.withLocalHome(home);
    state = root.resolve("d1/d2/d3/state");
  }

  @Test
  void hostileHostNamesWriteNothingOutsideTheStateFolder() throws IOException {
    Path playbook = root.resolve("pb.yml");
    Files.writeString(
        playbook,
        """
        steps:
          - id: a
            shell: echo hello {{ inventory_hostname | quote }}
          - id: b..c
            shell: echo detached
            detached: true
        """);
    StringBuilder inv = new StringBuilder("all:\n  hosts:\n");
    for (String h : HOSTILE) {
      inv.append("    \"").append(h).append("\":\n      connection: local\n");
    }
    Path inventory = root.resolve("inv.yml");
    Files.writeString(inventory, inv.toString());
    Set<Path> before = tree(root);

    Cli.Result r =
        cli.run(
            "run",
            playbook.toString(),
            "-i",
            inventory.toString(),
            "--state-dir",
            state.toString(),
            "--no-progress");

    assertEquals(0, r.exitCode(), r.out() + r.err());
    Set<Path> created = new TreeSet<>(tree(root));
    created.removeAll(before);
    Set<Path> outside =
        created.stream()
            .filter(p -> !p.startsWith(state) && !p.startsWith(home.resolve(".orchestrator")))
            .filter(p -> !state.startsWith(p)) // the state folder's own parents
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), outside, "files created outside the state folder");
    String runId = r.runId();
    Path logs = state.resolve("runs").resolve(runId).resolve("logs");
    for (String h : HOSTILE) {
      Path log = logs.resolve(FileNames.segment(h)).resolve("a.1.log");
      assertTrue(Files.isRegularFile(log), "log of '" + h + "' at " + log);
      assertTrue(Files.readString(log).contains("hello " + h), Files.readString(log));
      assertTrue(
          Files.isRegularFile(logs.resolve(FileNames.segment(h)).resolve("b..c.1.log")),
          "detached step's log of '" + h + "'");
    }
    try (Stream<Path> hostDirs = Files.list(logs)) {
      assertEquals(HOSTILE.size(), hostDirs.count(), "one log folder per host, all in logs/");
    }

    Cli.Result logsOfHostile =
        cli.run("logs", runId, "--host", "../../../../x", "--state-dir", state.toString());
    assertEquals(0, logsOfHostile.exitCode(), logsOfHostile.err());
    assertTrue(logsOfHostile.out().contains("hello ../../../../x"), logsOfHostile.out());
  }

  @Test
  void runIdsOnTheCommandLineNeverLeaveTheStateFolder() throws IOException {
    // a run.json planted one level above the runs folder, as '../x' would find it
    Files.createDirectories(state.resolve("runs"));
    Files.createDirectories(state.resolve("x"));
    Files.writeString(state.resolve("x/run.json"), "{}");
    Set<Path> before = tree(root);
    for (String id : List.of("../x", "..", ".", "../../d3", "/etc", "a/b", "")) {
      for (List<String> command :
          List.of(
              List.of("status", id),
              List.of("logs", id, "--host", "h"),
              List.of("report", id),
              List.of("resume", id),
              List.of("abort", id),
              List.of("approve", id))) {
        List<String> args = new java.util.ArrayList<>(command);
        args.addAll(List.of("--state-dir", state.toString()));

        Cli.Result r = cli.run(args.toArray(String[]::new));

        assertEquals(2, r.exitCode(), args + ": " + r.err());
        assertTrue(r.err().contains("is not a run id"), args + ": " + r.err());
      }
    }
    assertEquals(before, tree(root), "nothing written");
  }

  private static Set<Path> tree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
