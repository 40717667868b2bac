package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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
 * An Ansible playbook of three plays, one imported ({@code src/test/resources/ansible-plays/}: a
 * fact-only play on the monitoring host, a play on the web hosts that registers a value and fails
 * on a host not allowed yet, and an imported play over every host with the import's vars, reading
 * the registered value and the monitoring host's facts through {@code hostvars}), run by {@code
 * ansible-playbook} and by {@code orchestrator run} on the same real OpenSSH hosts: the same files,
 * the same events in the same play order, the failed host left out of the later play; then {@code
 * resume} finishes the failed host's play and the next, without touching the others.
 */
class PlaysIT {
  private static Path dir;
  private static OpenSshFleet fleet;
  private static Path inventory;
  private static Path playbook;
  private static Path log;

  @BeforeAll
  static void start() throws Exception {
    OpenSshFleet.requireAvailable();
    dir = Files.createTempDirectory("plays-it");
    fleet =
        OpenSshFleet.start(
            dir, Map.of("monitoring", List.of("mon1"), "web", List.of("web1", "web2")));
    Path inv = Files.createDirectories(dir.resolve("inv"));
    inventory = inv.resolve("hosts.ini");
    Files.copy(fleet.inventory(), inventory);
    Files.createDirectories(inv.resolve("host_vars"));
    Files.createDirectories(inv.resolve("group_vars"));
    log = dir.resolve("events.log");
    Files.writeString(inv.resolve("group_vars/all.yml"), "log: " + log + "\n");
    for (String h : fleet.hosts()) {
      Files.writeString(
          inv.resolve("host_vars/" + h + ".yml"), "host_root: " + fleet.home(h) + "/root\n");
    }
    playbook = dir.resolve("play");
    Files.createDirectories(playbook);
    try (Stream<Path> all = Files.list(Path.of("src/test/resources/ansible-plays"))) {
      for (Path p : all.toList()) {
        Files.copy(p, playbook.resolve(p.getFileName().toString()));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** Empties every host's root and the events log, and lets {@code allowed} pass the gate. */
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
    Files.deleteIfExists(log);
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

  /**
   * The events log, the hosts of each run of lines of one play sorted: within a play the hosts of a
   * batch run in parallel, the plays one after the other.
   */
  private static List<String> events() throws IOException {
    List<String> out = new ArrayList<>();
    List<String> run = new ArrayList<>();
    String play = "";
    for (String line : Files.readAllLines(log)) {
      String p = line.split(" ", 2)[0];
      if (!p.equals(play)) {
        run.sort(null);
        out.addAll(run);
        run.clear();
        play = p;
      }
      run.add(line);
    }
    run.sort(null);
    out.addAll(run);
    return out;
  }

  private static Cli.Result ours(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--known-hosts",
            fleet.knownHosts().toString(),
            "--state-dir",
            dir.resolve("state").toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void thePlaysReachTheSameFilesAndEventsAsAnsiblePlaybookAndResumeFinishesTheFailedHost()
      throws Exception {
    // given the playbook run by ansible-playbook, web2 not allowed past the gate
    wipe(List.of("mon1", "web1"));
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
    String ansibleLog = Files.readString(dir.resolve("ansible.log"));
    assertEquals(2, ansible.exitValue(), ansibleLog);
    Map<String, String> theirFiles = files();
    List<String> theirEvents = events();

    // when the same file is run by orchestrator on the wiped hosts
    wipe(List.of("mon1", "web1"));
    Cli.Result run =
        ours("run", playbook.resolve("site.yml").toString(), "-i", inventory.toString());

    // then: web2 pauses at the gate and is left out of the last play; the others finish it
    String said = run.out() + run.err();
    assertEquals(3, run.exitCode(), said);
    assertTrue(said.contains("[web2] PAUSED at step web.gate"), said);
    // and: the same files, the same events in the same play order as ansible-playbook's
    assertEquals(theirFiles, files(), ansibleLog + said);
    assertEquals(theirEvents, events());
    assertEquals(List.of("web web1", "everyone mon1", "everyone web1"), events(), "web2 left out");
    String hostname = files().get("mon1/out").split(" ")[3].trim();
    assertTrue(!hostname.equals("unknown"), "the monitoring host's facts, from the first play");
    assertEquals("rw-r----- blue 1.1 " + hostname + "\n", files().get("web1/out"));
    assertEquals("rw-r----- blue none " + hostname + "\n", files().get("mon1/out"));

    // and once web2 is allowed, resume finishes its play and the next, and nothing else
    Matcher m = Pattern.compile("orchestrator resume (\\S+)").matcher(said);
    assertTrue(m.find(), said);
    Files.writeString(fleet.home("web2").resolve("root/allow"), "");
    Cli.Result resumed = ours("resume", m.group(1));
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertEquals(
        List.of("web web1", "everyone mon1", "everyone web1", "web web2", "everyone web2"),
        events()); // the hosts of one batch run in parallel: their lines in any order
    // the monitoring host has nothing left to run in the resume, yet its facts are gathered
    // again (DoneHostFacts, README "Several plays"), as ansible-playbook gathers them on every run
    assertEquals("rw-r----- blue 1.2 " + hostname + "\n", files().get("web2/out"));
  }
}
