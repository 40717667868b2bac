package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task keywords of slice "keywords" on real OpenSSH hosts, one Ansible play run by {@code
 * ansible-playbook} and by {@code orchestrator run} unchanged: a templated {@code template.src} per
 * host and per loop item, a templated {@code copy.src}, a {@code when:} list true on one host only,
 * and {@code check_mode: false} on a read-only command. The files written and the registered keys
 * are Ansible's.
 */
class KeywordsParityIT {
  private static final Set<String> COMPARED =
      Set.of("changed", "rc", "stdout", "skipped", "dest", "checksum", "failed");

  @TempDir Path dir;

  private static Map<String, String> tasks(String root) {
    String d = root + "/{{ inventory_hostname }}";
    Map<String, String> t = new LinkedHashMap<>();
    t.put("folder", "shell: mkdir -p '" + d + "'");
    t.put("perhost", "template: {src: '{{ inventory_hostname }}.j2', dest: '" + d + "/host.conf'}");
    t.put(
        "items",
        "template: {src: '{{ item }}.j2', dest: '" + d + "/{{ item }}.conf'}\n      loop: [a, b]");
    t.put("copied", "copy: {src: \"{{ 'mo' + 'td' }}\", dest: '" + d + "/motd'}");
    t.put(
        "listed",
        "command: touch '"
            + d
            + "/listed'\n      when:\n        - inventory_hostname == 'web1'\n        - 1 == 1");
    t.put("version", "command: echo v1\n      check_mode: false\n      changed_when: false");
    return t;
  }

  private static Map<String, String> files(Path root, List<String> hosts) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String host : hosts) {
      for (String f : List.of("host.conf", "a.conf", "b.conf", "motd", "listed")) {
        Path p = root.resolve(host).resolve(f);
        out.put(host + " " + f, Files.exists(p) ? Files.readString(p) : "absent");
      }
    }
    return out;
  }

  @Test
  void templatedSourcesWhenListsAndCheckModeFalseMatchAnsiblePlaybook() throws Exception {
    OpenSshFleet.requireAvailable();
    // given templates per host and per item, and a file to copy, next to the play
    Files.createDirectories(dir.resolve("templates"));
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("templates/web1.j2"), "one {{ inventory_hostname }}\n");
    Files.writeString(dir.resolve("templates/web2.j2"), "two\n");
    Files.writeString(dir.resolve("templates/a.j2"), "a {{ item }}\n");
    Files.writeString(dir.resolve("templates/b.j2"), "b\n");
    Files.writeString(dir.resolve("files/motd"), "hello\n");
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1", "web2")))) {
      Path theirs = Files.createDirectories(dir.resolve("theirs"));
      Path ours = Files.createDirectories(dir.resolve("ours"));
      // when ansible-playbook runs the play in one folder, and ours the same play in another
      Map<String, String> ourTasks = tasks(dir + "/o");
      ParityPlays.ansible(fleet, dir, tasks(dir + "/a"), theirs);
      ParityPlays.oursOnAnsiblePlay(fleet, dir, ourTasks, ours);
      // then the same files, each host's template and each item's, the when list on web1 only
      Map<String, String> made = files(dir.resolve("o"), fleet.hosts());
      assertEquals(files(dir.resolve("a"), fleet.hosts()), made);
      assertEquals("one web1\n", made.get("web1 host.conf"));
      assertEquals("two\n", made.get("web2 host.conf"));
      assertEquals("a a\n", made.get("web2 a.conf"));
      assertEquals("hello\n", made.get("web2 motd"));
      assertEquals("", made.get("web1 listed"));
      assertEquals("absent", made.get("web2 listed"));
      // and the registered results have Ansible's keys, the folder's name the only difference
      ParityPlays.compare(
          fleet.hosts(),
          ourTasks,
          COMPARED,
          theirs,
          ours,
          v -> v.replace(dir + "/a/", dir + "/o/"),
          Set.of());
    }
  }
}
