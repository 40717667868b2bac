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
 * ansible-playbook's command line on a real OpenSSH host ({@link OpenSshFleet}): {@code run -i
 * 'HOST:PORT,' -u USER --private-key KEY -e 'a=1 b="x y"' -e @vars.yml -e '{"l": [1, 2, 3]}'}
 * reaches the host and gives the step the values ansible-playbook gives its task with the same
 * options (no inventory file: the host list, user and key come from the command line only).
 */
class AnsibleFlagsParityIT {
  @TempDir Path dir;

  @Test
  void theSameCommandLineWritesTheSameFileAsAnsiblePlaybook() throws Exception {
    OpenSshFleet.requireAvailable();
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1")))) {
      // given a step in each format writing the variables it gets into the host's home
      String line =
          "printf '%s|%s|%s|%s|%s\\\\n' {{ a | quote }} {{ b | quote }} {{ n | quote }}"
              + " {{ (n + 1) | quote }} {{ l | length }}";
      Path ours = dir.resolve("ours.yml");
      Files.writeString(
          ours, "hosts: all\nsteps:\n  - id: mark\n    shell: \"" + line + " > $HOME/ours\"\n");
      Path theirs = dir.resolve("theirs.yml");
      Files.writeString(
          theirs,
          "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: mark\n      shell: \""
              + line
              + " > $HOME/theirs\"\n");
      Path vars = Files.writeString(dir.resolve("vars.yml"), "n: 5\n");
      String host = "127.0.0.1:" + fleet.port("web1") + ",";
      String user = System.getProperty("user.name");
      List<String> common =
          List.of(
              "-i",
              host,
              "-u",
              user,
              "--private-key",
              fleet.clientKey().toString(),
              "-e",
              "a=1 b='x y'",
              "-e",
              "@" + vars,
              "-e",
              "{\"l\": [1, 2, 3]}");
      // when each runs with the same options (each told where the host keys are its own way)
      List<String> ourArgs =
          new java.util.ArrayList<>(
              List.of(
                  "run",
                  ours.toString(),
                  "--known-hosts",
                  fleet.knownHosts().toString(),
                  "--state-dir",
                  dir.resolve("state").toString()));
      ourArgs.addAll(common);
      Cli.Result run = Cli.run(ourArgs.toArray(String[]::new));
      assertEquals(0, run.exitCode(), run.out() + run.err());
      List<String> ansibleArgs =
          new java.util.ArrayList<>(
              List.of(
                  "ansible-playbook",
                  theirs.toString(),
                  "--ssh-common-args",
                  "-o UserKnownHostsFile=" + fleet.knownHosts() + " -o StrictHostKeyChecking=yes"));
      ansibleArgs.addAll(common);
      Process ansible =
          new ProcessBuilder(ansibleArgs)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("ansible.log").toFile())
              .start();
      ansible.waitFor(5, TimeUnit.MINUTES);
      assertEquals(0, ansible.exitValue(), Files.readString(dir.resolve("ansible.log")));
      // then both wrote the same values: texts from k=v, a number from the file, a list
      Path home = fleet.home("web1");
      assertEquals("1|x y|5|6|3\n", Files.readString(home.resolve("ours"), StandardCharsets.UTF_8));
      assertEquals(
          Files.readString(home.resolve("theirs"), StandardCharsets.UTF_8),
          Files.readString(home.resolve("ours"), StandardCharsets.UTF_8));
    }
  }
}
