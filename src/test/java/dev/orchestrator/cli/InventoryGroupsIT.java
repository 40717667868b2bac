package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.SandboxFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Nextcloud playbook's stages select the inventory groups {@code qa} and {@code production}
 * (issue 12, "Bugs found": the guide never said so, nor how to run with one): a missing group is
 * refused naming the stage and what to do; a group declared empty runs without its stage.
 */
class InventoryGroupsIT {
  private static final String PLAYBOOK = Path.of("playbooks/nextcloud-update.yml").toString();

  @TempDir Path dir;

  @Test
  void anInventoryWithoutTheProductionGroupIsRefusedNamingTheStageAndTheWayOut() throws Exception {
    // given an inventory with a qa group only
    Path inv = dir.resolve("inv.yml");
    Files.writeString(
        inv,
        "all:\n  children:\n    qa:\n      hosts:\n        qa1:\n          connection: local\n");
    for (String command : new String[] {"validate", "plan"}) {
      // when it is validated or planned
      Cli.Result r = Cli.run(command, PLAYBOOK, "-i", inv.toString(), "--limit", "qa");
      // then: exit 2, the stage, the groups the stages select and how to run without one
      assertEquals(2, r.exitCode(), r.out() + r.err());
      assertTrue(
          r.err().contains("stage 'production': the host pattern 'production' names 'production'"),
          r.err());
      assertTrue(
          r.err().contains("the playbook's stages select 'qa' (stage qa), 'production' (stage"),
          r.err());
      assertTrue(r.err().contains("declare its group empty (e.g. 'production: {}'"), r.err());
      assertFalse(r.err().contains("\tat "), r.err());
    }
  }

  @Test
  void anEmptyProductionGroupRunsTheQaHostsAndSkipsTheProductionStage() throws Exception {
    // given a sandbox fleet with QA hosts only: its inventory declares production empty
    SandboxFleet fleet = SandboxFleet.create(dir.resolve("sb"), 1, 0, "27.1.11", "28.0.14");
    try (SandboxFleet.Servers servers = fleet.start()) {
      assertTrue(
          Files.readString(fleet.inventory()).contains("    production:\n      hosts:\n"),
          Files.readString(fleet.inventory()));
      // when the playbook runs without --limit
      Cli.Result r =
          Cli.run(
              "run",
              PLAYBOOK,
              "-i",
              fleet.inventory().toString(),
              "--known-hosts",
              fleet.knownHosts().toString(),
              "--state-dir",
              dir.resolve("state").toString());
      // then QA is updated and the production stage (and its approval gate) has nothing to do
      assertEquals(0, r.exitCode(), r.out() + r.err());
      assertTrue(
          Files.readString(fleet.nextcloudRoot("qa-1").resolve("config/config.php"))
              .contains("'version' => '28.0.14.0',"));
      assertFalse(r.out().contains("waiting for approval"), r.out());
    }
  }
}
