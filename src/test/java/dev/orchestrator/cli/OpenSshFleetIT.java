package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.sandbox.OpenSshFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fleet of real OpenSSH servers ({@link OpenSshFleet}) serves both the orchestrator and {@code
 * ansible-playbook}, with one inventory file read unchanged by both: the ground the playbook
 * comparisons of issue 24 stand on.
 */
class OpenSshFleetIT {
  @TempDir Path dir;

  @Test
  void theOrchestratorAndAnsiblePlaybookReachTheSameHostsThroughOneInventory() throws Exception {
    OpenSshFleet.requireAvailable();
    try (OpenSshFleet fleet =
        OpenSshFleet.start(dir, Map.of("web", List.of("web1", "web2"), "lb", List.of("lb1")))) {
      // given a playbook in each format that writes the host's name into its home
      Path ours = dir.resolve("ours.yml");
      Files.writeString(
          ours,
          """
          hosts: all
          steps:
            - id: mark
              shell: printf '%s\\n' {{ inventory_hostname | quote }} > "$HOME/ours"
          """);
      Path theirs = dir.resolve("theirs.yml");
      Files.writeString(
          theirs,
          """
          - hosts: all
            gather_facts: false
            tasks:
              - name: mark
                shell: printf '%s\\n' {{ inventory_hostname | quote }} > "$HOME/theirs"
          """);
      // when each runs on the fleet
      Cli.Result run =
          Cli.run(
              "run",
              ours.toString(),
              "-i",
              fleet.inventory().toString(),
              "--known-hosts",
              fleet.knownHosts().toString(),
              "--state-dir",
              dir.resolve("state").toString());
      assertEquals(0, run.exitCode(), run.out() + run.err());
      Process ansible =
          new ProcessBuilder(
                  "ansible-playbook", "-i", fleet.inventory().toString(), theirs.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("ansible.log").toFile())
              .start();
      ansible.waitFor(5, TimeUnit.MINUTES);
      assertEquals(0, ansible.exitValue(), Files.readString(dir.resolve("ansible.log")));
      // then every host holds the same file from both, written in its own home
      for (String host : fleet.hosts()) {
        assertEquals(
            host + "\n",
            Files.readString(fleet.home(host).resolve("ours"), StandardCharsets.UTF_8),
            host);
        assertEquals(
            Files.readString(fleet.home(host).resolve("ours")),
            Files.readString(fleet.home(host).resolve("theirs")),
            host);
      }
    }
  }
}
