package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command, started with {@code HOME} set elsewhere than the account's home: a local host's
 * lease and its commands' {@code ~} are under {@code $HOME}, as the shell's {@code ~} is.
 */
class LocalHomeIT {
  @TempDir Path dir;
  @TempDir Path home;

  @Test
  void aLocalHostsLeaseAndTildeFollowHome() throws Exception {
    // given a local host whose step, while the run holds the host's lease, finds the lease under ~
    // and writes there, and HOME set to a temporary folder
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - {id: s, shell: \"test -e ~/.orchestrator/leases/h1.lock && touch"
            + " ~/step-was-here\"}\n");
    ProcessBuilder pb =
        new ProcessBuilder(
                Cli.controllerCommand(
                    "run",
                    dir.resolve("pb.yml").toString(),
                    "-i",
                    dir.resolve("inv.yml").toString(),
                    "--state-dir",
                    dir.resolve("state").toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile());
    pb.environment().put("HOME", home.toString());
    // when the command runs
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends");
    // then the step's ~ and the host's lease are under $HOME
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("out.log")));
    assertTrue(Files.exists(home.resolve("step-was-here")), "the lease and ~ were under $HOME");
  }
}
