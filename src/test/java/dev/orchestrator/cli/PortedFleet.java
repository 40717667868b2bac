package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The hosts of an {@link OpenSshFleet} as the ported playbooks of {@code src/test/resources/ports}
 * expect them: wiped, then given the folders the originals' hosts have (a CentOS image has {@code
 * /etc/sysconfig}; here {@code HOME/etc/sysconfig}) and a few files; a playbook runs on them with
 * {@code ansible-playbook} or the orchestrator, and the hosts' files are read back as a snapshot to
 * compare. Used by {@link RealRollingUpdatesIT}.
 */
final class PortedFleet implements FleetRuns {
  private final OpenSshFleet fleet;
  private final List<String> folders;
  private final Map<String, String> files;
  private final Path work;

  /**
   * @param fleet the running fleet
   * @param folders the folders every host has, relative to its home
   * @param files files every host has (relative name to content)
   * @param work a folder for logs and state stores
   */
  PortedFleet(OpenSshFleet fleet, List<String> folders, Map<String, String> files, Path work) {
    this.fleet = fleet;
    this.folders = List.copyOf(folders);
    this.files = Map.copyOf(files);
    this.work = work;
  }

  OpenSshFleet fleet() {
    return fleet;
  }

  @Override
  public Path inventory() {
    return fleet.inventory();
  }

  @Override
  public Path work() {
    return work;
  }

  /** Empties every host's home, then creates the folders and files every host has. */
  @Override
  public void wipe() throws IOException {
    for (String host : fleet.hosts()) {
      Path home = fleet.home(host);
      try (Stream<Path> s = Files.walk(home)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(home)) {
            Files.delete(p);
          }
        }
      }
      for (String f : folders) {
        Files.createDirectories(home.resolve(f));
      }
      for (Map.Entry<String, String> f : files.entrySet()) {
        Files.writeString(home.resolve(f.getKey()), f.getValue());
      }
    }
  }

  /**
   * Every regular file of every host: {@code "HOST/PATH MODE"} (octal permissions) to its content.
   * Hidden names are left out: each tool's own bookkeeping ({@code ~/.ansible}, {@code
   * ~/.orchestrator}), which differs by design.
   */
  @Override
  public Map<String, String> snapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String host : fleet.hosts()) {
      Path home = fleet.home(host);
      try (Stream<Path> s = Files.walk(home)) {
        for (Path p : s.filter(Files::isRegularFile).toList()) {
          Path rel = home.relativize(p);
          boolean hidden = false;
          for (Path part : rel) {
            hidden |= part.toString().startsWith(".");
          }
          if (!hidden) {
            out.put(host + "/" + rel + " " + mode(p), Files.readString(p));
          }
        }
      }
    }
    return out;
  }

  private static String mode(Path p) throws IOException {
    int bits = 0;
    for (PosixFilePermission perm : Files.getPosixFilePermissions(p)) {
      bits |= 1 << (8 - perm.ordinal());
    }
    return Integer.toOctalString(bits);
  }

  /** Wipes the hosts, runs {@code ansible-playbook PLAYBOOK} on them, returns the snapshot. */
  Map<String, String> ansible(Path playbook, String label) throws Exception {
    wipe();
    Path log = work.resolve(label + "-ansible.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                "ansible-playbook", "-i", fleet.inventory().toString(), playbook.toString())
            .directory(playbook.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("ANSIBLE_NOCOLOR", "1");
    pb.environment().put("ANSIBLE_RETRY_FILES_ENABLED", "False");
    pb.environment().put("ANSIBLE_PIPELINING", "True"); // its fastest way: fewer round trips
    pb.environment().put("ANSIBLE_SSH_CONTROL_PATH_DIR", work.resolve("cp").toString());
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
    }
    figure(label, "ansible-playbook", start, 1);
    assertEquals(0, p.exitValue(), Files.readString(log));
    return snapshot();
  }

  /** Wipes the hosts, runs {@code orchestrator run PLAYBOOK} on them, returns the snapshot. */
  Map<String, String> orchestrator(Path playbook, String label) throws Exception {
    wipe();
    long start = System.nanoTime();
    Cli.Result run = Cli.run(runArgs(playbook, work.resolve(label + "-state")));
    figure(label, "orchestrator run", start, 1);
    assertEquals(0, run.exitCode(), run.out() + run.err());
    return snapshot();
  }

  /** The arguments of {@code orchestrator run PLAYBOOK} on this fleet. */
  @Override
  public String[] runArgs(Path playbook, Path state) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                playbook.toString(),
                "-i",
                fleet.inventory().toString(),
                "--known-hosts",
                fleet.knownHosts().toString(),
                "--state-dir",
                state.toString(),
                "--no-progress"));
    return args.toArray(String[]::new);
  }

  /** Prints a figure of the comparison to the test's output. */
  static void figure(String label, String what, long startNanos, int commands) {
    System.out.printf(
        "figure %s: %s took %.1f s, %d operator command(s)%n",
        label,
        what,
        Duration.ofNanos(System.nanoTime() - startNanos).toMillis() / 1000.0,
        commands);
  }
}
