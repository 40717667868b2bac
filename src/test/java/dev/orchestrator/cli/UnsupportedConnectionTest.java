package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host whose {@code ansible_connection} orchestrator does not implement ({@code docker}, a
 * collection's plugin) leaves the inventory valid, as in Ansible: {@code inventory} and {@code
 * plan} show it; only a run with work on it refuses, naming it, before anything is written. And
 * what Ansible ignores in a YAML inventory is a warning, not an error.
 */
class UnsupportedConnectionTest {
  @TempDir Path dir;
  @TempDir Path home;
  private Cli.Session cli;

  @BeforeEach
  void files() throws IOException {
    cli = Cli.withLocalHome(home);
    Files.writeString(dir.resolve("pb.yml"), "steps:\n  - id: a\n    shell: echo a\n");
    Files.writeString(
        dir.resolve("inv.yml"),
        """
        all:
          hosts:
            here:
              ansible_connection: local
            box:
              ansible_connection: community.docker.docker
          hostz:
            typo:
        """);
  }

  private Cli.Result run(String... extra) {
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
  void theInventoryCommandShowsTheHostAndWarnsAboutWhatAnsibleIgnores() {
    Cli.Result r = cli.run("inventory", "-i", dir.resolve("inv.yml").toString());

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("box  community.docker.docker (not supported)"), r.out());
    assertTrue(
        r.err()
            .startsWith(
                "warning: "
                    + dir.resolve("inv.yml")
                    + ":7:3: unknown key 'hostz' in group 'all': Ansible ignores it"),
        r.err());
  }

  @Test
  void aPlanShowsTheHost() {
    Cli.Result r =
        cli.run(
            "plan",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            dir.resolve("state").toString());

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("box"), r.out());
  }

  @Test
  void aRunWithWorkOnTheHostRefusesItNamingItBeforeWritingAnything() {
    Cli.Result r = run();

    assertEquals(2, r.exitCode(), r.err());
    assertTrue(
        r.err()
            .contains(
                "error: host 'box' has connection 'community.docker.docker', which orchestrator"
                    + " does not implement"),
        r.err());
    assertTrue(r.err().contains("hint: leave it out of the run (--limit '!box')"), r.err());
    assertFalse(Files.exists(dir.resolve("state")), "nothing written");
  }

  @Test
  void aRunThatLeavesTheHostOutGoesAhead() {
    Cli.Result r = run("--limit", "here");

    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(r.err().contains("warning: "), "the inventory's warning is shown: " + r.err());
  }
}
