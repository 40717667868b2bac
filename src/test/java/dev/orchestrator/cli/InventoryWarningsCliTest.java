package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #14: what Ansible reads with a warning is shown by the dry run too, naming file:line. */
class InventoryWarningsCliTest {
  @Test
  void planShowsTheInventoryWarningsAndGoesOn(@TempDir Path dir) throws Exception {
    // given an inventory with a key Ansible ignores with a warning
    Files.writeString(dir.resolve("pb.yml"), "name: w\nsteps:\n  - id: a\n    shell: \"true\"\n");
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    web1:\n      ansible_connection: local\n  hostz:\n    web2:\n");
    // when it is planned
    Cli.Result r =
        Cli.run(
            "plan",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--no-progress");
    // then the plan is made and the warning names the file, line and what Ansible does
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(
        r.err().contains("warning: " + dir.resolve("inv.yml") + ":5:3: unknown key 'hostz'"),
        r.err());
    assertTrue(r.err().contains("Ansible ignores it"), r.err());
    assertTrue(r.out().contains("web1"), r.out());
  }
}
