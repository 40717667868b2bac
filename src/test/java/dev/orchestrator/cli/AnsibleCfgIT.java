package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ansible.cfg} alone (no {@code -i}, no user, no key on the command line or in the
 * inventory) lets both {@code ansible-playbook} and {@code orchestrator run} reach real OpenSSH
 * hosts, with the same result.
 */
class AnsibleCfgIT {
  @TempDir Path dir;

  @Test
  void ansibleCfgAloneReachesTheHostsForBothTools() throws Exception {
    OpenSshFleet.requireAvailable();
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1", "web2")))) {
      // given a project folder whose ansible.cfg names the inventory, the user, the key, forks
      // and host_key_checking = False; the inventory names only the hosts' ports
      Path project = Files.createDirectories(dir.resolve("project"));
      Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwxr-xr-x"));
      StringBuilder ini = new StringBuilder("[web]\n");
      for (String h : fleet.hosts()) {
        ini.append(h).append(" ansible_port=").append(fleet.port(h)).append('\n');
      }
      ini.append("\n[all:vars]\nansible_host=127.0.0.1\n");
      Files.writeString(project.resolve("hosts.ini"), ini.toString());
      Files.writeString(
          project.resolve("ansible.cfg"),
          String.join(
              "\n",
              "[defaults]",
              "inventory = hosts.ini",
              "remote_user = " + System.getProperty("user.name"),
              "private_key_file = " + fleet.clientKey(),
              "host_key_checking = False",
              "forks = 2",
              "",
              "[ssh_connection]",
              "ssh_args = -o UserKnownHostsFile=/dev/null",
              ""));
      Files.writeString(
          project.resolve("ours.yml"),
          """
          hosts: all
          steps:
            - id: mark
              shell: printf '%s %s\\n' {{ inventory_hostname | quote }} "$(id -un)" > "$HOME/ours"
          """);
      Files.writeString(
          project.resolve("theirs.yml"),
          """
          - hosts: all
            gather_facts: false
            tasks:
              - name: mark
                shell: printf '%s %s\\n' {{ inventory_hostname | quote }} "$(id -un)" > "$HOME/theirs"
          """);
      Path home = Files.createDirectories(dir.resolve("controller-home/.ssh")).getParent();
      // when each tool runs in the project folder with nothing but the playbook named
      Process ours =
          new ProcessBuilder(orchestrator(home, "run", "ours.yml"))
              .directory(project.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("ours.log").toFile())
              .start();
      assertTrue(ours.waitFor(5, TimeUnit.MINUTES), "orchestrator run did not end");
      String oursLog = Files.readString(dir.resolve("ours.log"));
      assertEquals(0, ours.exitValue(), oursLog);
      Process theirs =
          new ProcessBuilder("ansible-playbook", "theirs.yml")
              .directory(project.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("ansible.log").toFile())
              .start();
      assertTrue(theirs.waitFor(5, TimeUnit.MINUTES), "ansible-playbook did not end");
      assertEquals(0, theirs.exitValue(), Files.readString(dir.resolve("ansible.log")));
      // then every host holds the same line from both, written as the configured user
      for (String host : fleet.hosts()) {
        String mine = Files.readString(fleet.home(host).resolve("ours"), StandardCharsets.UTF_8);
        assertEquals(host + " " + System.getProperty("user.name") + "\n", mine, host);
        assertEquals(mine, Files.readString(fleet.home(host).resolve("theirs")), host);
      }
      // and the ignored [ssh_connection] setting was named once, with its line
      assertEquals(
          1, oursLog.split("\\[ssh_connection\\] ssh_args is ignored", -1).length - 1, oursLog);
      assertTrue(oursLog.contains("ansible.cfg:9:1:"), oursLog);
      // and the new host keys were recorded in the controller's known_hosts (accept-new)
      assertEquals(
          fleet.hosts().size(),
          Files.readAllLines(home.resolve(".ssh/known_hosts")).stream()
              .filter(l -> !l.isBlank())
              .count());
    }
  }

  /** The CLI in its own JVM, its home (known_hosts) in {@code home}. */
  private static List<String> orchestrator(Path home, String... args) {
    List<String> command = new ArrayList<>(Cli.controllerCommand(args));
    command.add(1, "-Duser.home=" + home);
    assertTrue(command.get(0).endsWith(File.separator + "java"), command.toString());
    return command;
  }
}
