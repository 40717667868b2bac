package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} refuses before it listens: plan-form folders that are not folders. */
class ServeOptionsTest {
  @TempDir Path dir;

  @Test
  void aPlaybooksOrInventoriesValueThatIsNoFolderIsBadInput() throws IOException {
    // given a file and a missing path
    Path file = Files.writeString(dir.resolve("site.yml"), "name: x\n");
    Path missing = dir.resolve("missing");
    // when serve is given them, then it stops with exit 2 naming the option and what to give
    Cli.Result notAFolder =
        Cli.run("serve", "--playbooks", file.toString(), "--state-dir", dir.toString());
    assertEquals(2, notAFolder.exitCode(), notAFolder.err());
    assertTrue(
        notAFolder.err().contains("--playbooks " + file + " is not a folder"), notAFolder.err());
    assertTrue(notAFolder.err().contains("name a folder"), notAFolder.err());
    Cli.Result absent =
        Cli.run(
            "serve",
            "--playbooks",
            dir.toString(),
            "--inventories",
            missing.toString(),
            "--state-dir",
            dir.toString());
    assertEquals(2, absent.exitCode(), absent.err());
    assertTrue(absent.err().contains("--inventories " + missing + " does not exist"), absent.err());
  }
}
