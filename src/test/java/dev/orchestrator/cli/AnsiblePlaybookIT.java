package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An Ansible playbook, unchanged ({@code src/test/resources/ansible-play/site.yml}: one play with
 * pre_tasks, a role with a parameter, k=v arguments, FQCNs, import_tasks, with_dict, a handler,
 * play vars over group vars), run by {@code ansible-playbook} and by {@code orchestrator run} on
 * the same real OpenSSH hosts: the same files with the same modes; and where Ansible would start
 * over, ours pauses at the failed task and {@code resume} continues there, each drain once.
 */
class AnsiblePlaybookIT {
  private static Path dir;
  private static OpenSshFleet fleet;
  private static Path inventory;
  private static Path playbook;

  @BeforeAll
  static void start() throws Exception {
    OpenSshFleet.requireAvailable();
    dir = Files.createTempDirectory("ansible-playbook-it");
    fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1", "web2")));
    Path inv = Files.createDirectories(dir.resolve("inv"));
    inventory = inv.resolve("hosts.ini");
    Files.copy(fleet.inventory(), inventory);
    Files.createDirectories(inv.resolve("host_vars"));
    Files.createDirectories(inv.resolve("group_vars"));
    Files.writeString(inv.resolve("group_vars/web.yml"), "greeting: from-inventory\n");
    for (String h : fleet.hosts()) {
      Files.writeString(
          inv.resolve("host_vars/" + h + ".yml"), "host_root: " + fleet.home(h) + "/root\n");
    }
    playbook = dir.resolve("play");
    copyTree(Path.of("src/test/resources/ansible-play"), playbook);
  }

  @AfterAll
  static void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** Empties every host's root and allows the gate where {@code allowed}. */
  private static void wipe(List<String> allowed) throws IOException {
    for (String h : fleet.hosts()) {
      Path root = fleet.home(h).resolve("root");
      if (Files.exists(root)) {
        try (Stream<Path> all = Files.walk(root)) {
          for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(root);
      if (allowed.contains(h)) {
        Files.writeString(root.resolve("allow"), "");
      }
    }
  }

  /** Every file under each host's root: its content and mode. */
  private static Map<String, String> files() throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String h : fleet.hosts()) {
      Path root = fleet.home(h).resolve("root");
      try (Stream<Path> all = Files.walk(root)) {
        for (Path f : all.filter(Files::isRegularFile).toList()) {
          out.put(
              h + "/" + root.relativize(f),
              PosixFilePermissions.toString(Files.getPosixFilePermissions(f))
                  + " "
                  + Files.readString(f, StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static Cli.Result ours(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--known-hosts",
            fleet.knownHosts().toString(),
            "--state-dir",
            dir.resolve("state").toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void theSamePlaybookReachesTheSameFilesAsAnsiblePlaybook() throws Exception {
    // given the playbook run by ansible-playbook
    wipe(fleet.hosts());
    Process ansible =
        new ProcessBuilder(
                "ansible-playbook",
                "-i",
                inventory.toString(),
                playbook.resolve("site.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ansible.log").toFile())
            .start();
    assertTrue(ansible.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, ansible.exitValue(), Files.readString(dir.resolve("ansible.log")));
    Map<String, String> theirs = files();

    // when the same file is run by orchestrator on the wiped hosts
    wipe(fleet.hosts());
    Cli.Result run =
        ours("run", playbook.resolve("site.yml").toString(), "-i", inventory.toString());

    // then: the same files, with the same content and modes
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertEquals(theirs, files());
    assertEquals(
        "rw-r----- 2.0 from-play\n", files().get("web1/VERSION"), "play vars over group vars");
    assertEquals("rw-r--r-- port=8080 dflt\n", files().get("web2/app.conf"));
  }

  @Test
  void aFailedTaskPausesTheRunAndResumeContinuesThereWithoutDrainingAgain() throws Exception {
    // given web2 may not pass the gate yet
    wipe(List.of("web1"));

    // when the playbook runs
    Cli.Result run =
        ours("run", playbook.resolve("site.yml").toString(), "-i", inventory.toString());

    // then it pauses at the gate on web2, naming the command that continues
    String said = run.out() + run.err();
    assertEquals(3, run.exitCode(), said);
    assertTrue(said.contains("[web2] PAUSED at step gate"), said);
    Matcher m = Pattern.compile("orchestrator resume (\\S+)").matcher(said);
    assertTrue(m.find(), said);

    // and once web2 is allowed, resume finishes it from the gate on
    Files.writeString(fleet.home("web2").resolve("root/allow"), "");
    Cli.Result resumed = ours("resume", m.group(1));
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertEquals(
        "drain web2\nrestart\nenable web2\n",
        Files.readString(fleet.home("web2").resolve("root/events.log")),
        "each action once: the drain and the handler are not repeated");
    assertEquals("a=1\nb=two\n", Files.readString(fleet.home("web2").resolve("root/settings")));
  }
}
