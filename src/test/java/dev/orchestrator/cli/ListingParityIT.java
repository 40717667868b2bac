package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.inventory.AnsibleForkServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --list-hosts}, {@code --list-tasks}, {@code --list-tags} print what real {@code
 * ansible-playbook} prints for an equivalent Ansible playbook (one play per stage, each with the
 * playbook's steps as tasks), up to the order of Python's sets (hosts and play tags) and the
 * playbook's file name.
 */
class ListingParityIT {
  @TempDir Path dir;

  private static final String INVENTORY =
      "[web]\nw1\nw2\nw3\n[db]\nd1\n[all:vars]\nansible_connection=local\n";

  private static final String OURS =
      """
      name: site
      stages:
        - name: Web servers
          hosts: web
        - name: db
          hosts: db
      steps:
        - id: first
          name: first task
          shell: echo 1
          tags: [a, b]
        - id: second
          name: second task
          shell: echo 2
        - id: third
          name: third
          shell: echo 3
          tags: [always]
        - id: fourth
          name: fourth
          shell: echo 4
          tags: [never, debug]
      """;

  private static final String TASKS =
      """
        tasks:
          - name: first task
            command: echo 1
            tags: [a, b]
          - name: second task
            command: echo 2
          - name: third
            command: echo 3
            tags: [always]
          - name: fourth
            command: echo 4
            tags: [never, debug]
      """;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--list-hosts",
        "--list-tasks",
        "--list-tags",
        "--list-hosts --list-tasks --list-tags",
        "--list-tasks --tags a",
        "--list-tasks --list-tags --skip-tags b",
        "--list-tasks --tags debug",
        "--list-hosts --limit w2:d1"
      })
  void theListingIsAnsiblePlaybooks(String flags) throws Exception {
    // given our playbook and the equivalent Ansible playbook on one inventory
    Files.writeString(dir.resolve("hosts"), INVENTORY);
    Files.writeString(dir.resolve("ours.yml"), OURS);
    Files.writeString(
        dir.resolve("theirs.yml"),
        "- name: Web servers\n  hosts: web\n  gather_facts: false\n"
            + TASKS
            + "- hosts: db\n  gather_facts: false\n"
            + TASKS);
    List<String> extra = Arrays.asList(flags.split(" "));
    // when both list it
    List<String> ours = new ArrayList<>(List.of("run", "ours.yml", "-i", "hosts"));
    ours.addAll(extra);
    String mine = output(Cli.controllerCommand(ours.toArray(String[]::new)));
    List<String> theirs = new ArrayList<>(List.of("ansible-playbook", "-i", "hosts", "theirs.yml"));
    theirs.addAll(extra);
    String ansible = ansibleOutput(theirs);
    // then the listings are the same, up to the order of sets and the file's name
    assertEquals(normal(ansible), normal(mine), "ansible:\n" + ansible + "\nours:\n" + mine);
    assertTrue(mine.contains("play #2 (db): db"), mine);
  }

  @Test
  void aListingRunsAndWritesNothing() throws Exception {
    // given a playbook whose step would write a file
    Files.writeString(dir.resolve("hosts"), "[all]\nlocalhost ansible_connection=local\n");
    Path mark = dir.resolve("mark");
    Files.writeString(
        dir.resolve("pb.yml"), "hosts: all\nsteps:\n  - id: mark\n    shell: touch " + mark + "\n");
    // when run with --list-tasks
    Cli.Result r =
        Cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("hosts").toString(),
            "--state-dir",
            dir.resolve("state").toString(),
            "--list-tasks");
    // then it lists, exits 0, and nothing ran or was stored
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("      mark\tTAGS: []"), r.out());
    assertTrue(!Files.exists(mark));
    assertTrue(!Files.exists(dir.resolve("state")));
  }

  /**
   * What {@code ansible-playbook} prints, run by the shared {@link AnsibleForkServer}: the same
   * command's code, forked from a Python that imported Ansible once, in this test's folder (which
   * holds no ansible.cfg). Each case started a Python importing Ansible before (about a second of
   * CPU each).
   */
  private String ansibleOutput(List<String> command) throws Exception {
    Path script =
        java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .map(d -> Path.of(d.isEmpty() ? "." : d, command.get(0)))
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(() -> new AssertionError(command.get(0) + " is not on the PATH"));
    var result = AnsibleForkServer.shared(script).run(dir, command, script);
    assertEquals(0, result.getKey(), String.join(" ", command) + "\n" + result.getValue()[0]);
    return result.getValue()[0];
  }

  private String output(List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
    return out;
  }

  /**
   * Each play's lines sorted (Ansible's hosts and play tags are Python sets), the tags of a play
   * header sorted, the playbook's name and blank lines dropped.
   */
  private static List<List<String>> normal(String listing) {
    List<List<String>> plays = new ArrayList<>();
    for (String play : listing.split("\n  play #")) {
      List<String> lines = new ArrayList<>();
      for (String line : play.split("\n")) {
        if (!line.isBlank() && !line.startsWith("playbook: ")) {
          lines.add(line);
        }
      }
      lines.sort(null);
      plays.add(lines);
    }
    return plays;
  }
}
