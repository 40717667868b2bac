package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.RootedFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rooted test hosts ({@link RootedFleet}): each host's absolute paths are its own, what a run
 * changes and deletes is read from its upper folders, {@code inventory_hostname} resolves on the
 * host, the machine's own files stay untouched, and closing the fleet leaves nothing mounted or
 * running.
 */
class RootedFleetIT {
  @TempDir Path dir;

  @Test
  void eachHostHasItsOwnRootAndClosingLeavesNothingMountedOrRunning() throws Exception {
    RootedFleet.requireAvailable();
    Path playbook = dir.resolve("site.yml");
    Files.writeString(
        playbook,
        """
        - hosts: all
          gather_facts: false
          tasks:
            - name: write an absolute path
              copy: {content: "{{ inventory_hostname }}\\n", dest: /etc/rooted-test, mode: '0600'}
            - name: delete one of the machine's files on this host only
              file: {path: /etc/debian_version, state: absent}
              when: inventory_hostname == 'a'
            - name: resolve the host's own name, write in the private /tmp
              shell: getent hosts {{ inventory_hostname }} > /opt/resolved; echo x > /tmp/rooted-test
        """);
    List<String> namespaces;
    Map<String, String> end;
    RootedFleet fleet =
        RootedFleet.start(dir, Map.of("all_hosts", List.of("a", "b")), (f, host) -> {});
    try {
      // given two rooted hosts, when a play writes and deletes absolute paths on them
      Cli.Result run =
          Cli.run(
              "run",
              playbook.toString(),
              "-i",
              fleet.fleet().inventory().toString(),
              "--known-hosts",
              fleet.fleet().knownHosts().toString(),
              "--state-dir",
              dir.resolve("state").toString(),
              "--no-progress");
      assertEquals(0, run.exitCode(), run.out() + run.err());
      end = fleet.snapshot(p -> p.startsWith("/root/.orchestrator") || p.equals("/etc/hosts"));
      namespaces = new ArrayList<>(fleet.namespaces().values());
    } finally {
      fleet.close();
    }
    // then each host holds its own file, the deletion is one host's, the name resolved locally
    Map<String, String> expected = new TreeMap<>();
    expected.put("a:/etc/rooted-test 600", "a\n");
    expected.put("b:/etc/rooted-test 600", "b\n");
    expected.put("a:/etc/debian_version deleted", "");
    expected.put("a:/opt/resolved 644", "127.0.0.1       localhost a\n");
    expected.put("b:/opt/resolved 644", "127.0.0.1       localhost b\n");
    assertEquals(expected, end);
    // and the machine's own files are untouched: its /etc, its /tmp
    assertFalse(Files.exists(Path.of("/etc/rooted-test")));
    assertTrue(Files.exists(Path.of("/etc/debian_version")));
    assertFalse(Files.exists(Path.of("/tmp/rooted-test")));
    // and after close nothing of the hosts is mounted or running
    assertEquals(2, namespaces.size());
    assertEquals(List.of(), fleet.leftovers(namespaces));
  }
}
