package dev.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.inventory.Inventory;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.PlaybookLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookListingTest {
  @TempDir Path dir;

  @Test
  void aPlaybookOfSeveralPlaysListsEachPlaysHostsAndTasksAsAnsiblePlaybookDoes() throws Exception {
    // given two plays, web1 in both
    Files.writeString(dir.resolve("inv.ini"), "[web]\nweb1\n[db]\ndb1\n");
    Inventory inventory = InventoryLoader.load(dir.resolve("inv.ini"));
    Files.writeString(
        dir.resolve("site.yml"),
        """
        - hosts: web
          tasks:
            - name: Deploy
              shell: echo deploy
        - name: Everyone
          hosts: all
          tasks:
            - name: Check
              shell: echo check
              tags: [check]
        """);
    Playbook playbook = new PlaybookLoader().load(dir.resolve("site.yml"));

    // when its hosts and tasks are listed
    String text =
        PlaybookListing.text(
            playbook,
            inventory,
            Optional.empty(),
            List.of(),
            List.of(),
            new PlaybookListing.What(true, true, false));

    // then each play lists its own hosts (web1 twice) and its own tasks
    assertEquals(
        "\nplaybook: "
            + dir.resolve("site.yml")
            + "\n"
            + "\n  play #1 (web): web\tTAGS: []\n"
            + "    pattern: ['web']\n    hosts (1):\n      web1\n"
            + "    tasks:\n      Deploy\tTAGS: []\n"
            + "\n  play #2 (all): Everyone\tTAGS: []\n"
            + "    pattern: ['all']\n    hosts (2):\n      web1\n      db1\n"
            + "    tasks:\n      Check\tTAGS: [check]\n",
        text);
  }
}
