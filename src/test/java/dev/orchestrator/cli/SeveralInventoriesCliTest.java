package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -i} repeated and {@code -i FOLDER} (issue 14): the inventory command shows the merged
 * inventory, and a run stores every source so that status, resume and abort use them all.
 */
class SeveralInventoriesCliTest {
  @TempDir Path dir;

  private Cli.Session cli;

  @BeforeEach
  void localHome(@TempDir Path home) throws Exception {
    cli = Cli.withLocalHome(home);
    Files.createDirectories(dir.resolve("inv/more"));
    Files.writeString(
        dir.resolve("inv/base.yml"),
        "all:\n  children:\n    app:\n      hosts:\n        h1: {connection: local}\n");
    Files.writeString(dir.resolve("inv/more/extra"), "[app]\nh2 connection=local\n");
    Files.writeString(dir.resolve("site.ini"), "[app]\nh3 connection=local\n");
    Files.createDirectories(dir.resolve("inv/group_vars"));
    Files.writeString(dir.resolve("inv/group_vars/app"), "color: blue\n");
  }

  private Cli.Result cli(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--state-dir";
    all[args.length + 1] = dir.resolve("state").toString();
    return cli.run(all);
  }

  @Test
  void theInventoryCommandMergesAFolderAndAFileInOrder() throws Exception {
    // when the inventory of a folder and a file is listed
    Cli.Result r =
        cli.run(
            "inventory",
            "-i",
            dir.resolve("inv").toString(),
            "-i",
            dir.resolve("site.ini").toString(),
            "--output",
            "json");
    // then it holds the hosts of every file, in order, with the folder's group_vars
    assertEquals(0, r.exitCode(), r.err());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertEquals(List.of("h1", "h2", "h3"), iterate(root.get("groups").get("app")));
    assertEquals("blue", root.get("hosts").get("h3").get("vars").get("color").asText());
  }

  @Test
  void aRunStoresEverySourceAndResumeUsesThemAll() throws Exception {
    // given a playbook whose step fails until a marker exists
    Path marker = dir.resolve("marker");
    Files.writeString(
        dir.resolve("pb.yml"),
        "name: demo\nsteps:\n  - id: check\n    shell: test -f " + marker + "\n");
    String inv = dir.resolve("inv").toString();
    String site = dir.resolve("site.ini").toString();
    // when it runs on a folder and a file, pauses, and is resumed once the marker exists
    Cli.Result first = cli("run", dir.resolve("pb.yml").toString(), "-i", inv, "-i", site);
    assertEquals(3, first.exitCode(), first.out() + first.err());
    String id = first.runId();
    Cli.Result status = cli("status", id);
    Files.writeString(marker, "");
    Cli.Result resumed = cli("resume", id);
    // then the run stored both sources, status shows them, and resume finished every host
    assertTrue(status.out().contains("inventory " + inv + ", " + site), status.out());
    String runJson =
        Files.readString(dir.resolve("state").resolve("runs").resolve(id).resolve("run.json"));
    assertTrue(runJson.contains("\"inventories\""), runJson);
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    for (String h : List.of("h1", "h2", "h3")) {
      assertTrue(resumed.out().contains(h), h + " in " + resumed.out());
    }
  }

  private static List<String> iterate(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
