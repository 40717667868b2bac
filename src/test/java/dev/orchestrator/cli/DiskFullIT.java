package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state folder whose disk fills up during a run (a real, tiny tmpfs, mounted for the test; needs
 * root, as the test machines run): the run stops with exit 6 (the state is unavailable, not a bug),
 * is recorded paused, and the message says how to resume once space is freed; resume then completes
 * it. The first step fills the disk and prints more than a page, which its checkpoint must record:
 * that journal write cannot fit, whatever else did.
 */
class DiskFullIT {
  @TempDir Path dir;
  @TempDir Path home;

  private Path disk;
  private boolean mounted;

  @BeforeEach
  void tinyDisk() throws Exception {
    disk = Files.createDirectory(dir.resolve("disk"));
    Process mount =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", disk.toString())
            .redirectErrorStream(true)
            .start();
    boolean done = mount.waitFor(60, TimeUnit.SECONDS);
    mounted = done && mount.exitValue() == 0;
    Assumptions.assumeTrue(
        mounted,
        "mounting a tmpfs needs root: " + new String(mount.getInputStream().readAllBytes()));
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      Process p = new ProcessBuilder("umount", disk.toString()).inheritIO().start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "umount " + disk);
    }
  }

  @Test
  void aFullDiskPausesTheRunWithExit6AndResumeCompletesItOnceSpaceIsFreed() throws Exception {
    // given a playbook whose first step fills the state folder's disk (once) and prints 8 KiB
    Cli.Session cli = Cli.withLocalHome(home);
    Path fill = disk.resolve("fill");
    Path filled = dir.resolve("filled");
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n"
            + "  - id: fill\n"
            + "    register: big\n"
            + "    idempotent: true\n"
            + "    shell: |\n"
            + "      if [ ! -e "
            + filled
            + " ]; then touch "
            + filled
            + "; head -c 4000000 /dev/zero > "
            + fill
            + " 2>/dev/null; fi\n"
            + "      head -c 8192 /dev/zero | tr '\\0' x\n"
            + "  - id: after\n"
            + "    shell: touch "
            + dir.resolve("after-ran")
            + "\n");
    String state = disk.resolve("state").toString();
    // when it runs
    Cli.Result r =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            state);
    // then exit 6, saying what and how to continue, and the run is recorded paused
    assertEquals(6, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("No space left on device"), r.err());
    assertFalse(r.err().contains("internal error"), r.err());
    String runId = r.runId();
    assertTrue(r.err().contains("hint: free space"), r.err());
    assertTrue(r.err().contains("resume " + runId), r.err());
    assertTrue(Files.exists(fill), "the disk was filled");
    assertFalse(Files.exists(dir.resolve("after-ran")), "no step ran after the failed write");
    Cli.Result status = cli.run("status", runId, "--state-dir", state, "--output", "json");
    assertEquals(0, status.exitCode(), status.err());
    assertTrue(status.out().contains("\"status\" : \"PAUSED\""), status.out());
    assertTrue(status.out().contains("No space left on device"), status.out());
    // when space is freed and the run resumed
    Files.delete(fill);
    Cli.Result resumed = cli.run("resume", runId, "--state-dir", state);
    // then it completes
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertTrue(Files.exists(dir.resolve("after-ran")));
  }
}
