package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.sandbox.RootedFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A playbook run unchanged by {@code ansible-playbook} and by {@code orchestrator run} on a {@link
 * RootedFleet}, with the same inventory and the same extra vars ({@code -e}), each on wiped hosts,
 * the hosts' end states read back from their upper folders ({@link #snapshot}). Each tool's own
 * bookkeeping ({@code ~/.ansible}, {@code ~/.orchestrator}) and the login records {@code sshd}
 * writes ({@code /var/log/wtmp}, {@code lastlog}, {@code btmp}) and Python's byte-code caches
 * ({@code __pycache__}) are left out, and of a git clone its work tree and {@code .git/HEAD} are
 * compared (the rest of {@code .git} holds times: the index, the reflogs); the times the stand-in
 * daemons write before each line of their logs are cut, so that the logs compare as the order of
 * the commands they received. Used by {@link RealRollingUpdatesIT}.
 */
final class RootedRuns implements FleetRuns {
  private static final List<String> LEFT_OUT =
      List.of(
          "/root/.ansible",
          "/root/.orchestrator",
          "/var/log/wtmp",
          "/var/log/lastlog",
          "/var/log/btmp");

  private final RootedFleet fleet;
  private final Map<String, String> extraVars;
  private final Path work;

  /**
   * @param fleet the running fleet
   * @param extraVars the {@code -e} vars of both tools
   * @param work a folder for logs and state stores
   */
  RootedRuns(RootedFleet fleet, Map<String, String> extraVars, Path work) {
    this.fleet = fleet;
    this.extraVars = new TreeMap<>(extraVars);
    this.work = work;
  }

  @Override
  public void wipe() throws IOException, InterruptedException {
    fleet.wipe();
  }

  @Override
  public Path work() {
    return work;
  }

  @Override
  public Path inventory() {
    return fleet.fleet().inventory();
  }

  @Override
  public Map<String, String> snapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    fleet
        .snapshot(
            p ->
                p.contains("/__pycache__/")
                    || (p.contains("/.git/") && !p.endsWith("/.git/HEAD"))
                    || LEFT_OUT.stream().anyMatch(l -> p.equals(l) || p.startsWith(l + "/")))
        .forEach(
            (k, v) ->
                out.put(
                    k,
                    k.contains("/haproxy/") || k.contains("/nagios/")
                        ? v.replaceAll("(?m)^(\\[\\d+\\] |\\d+ )", "")
                        : v));
    return out;
  }

  /** Wipes the hosts, runs {@code ansible-playbook PLAYBOOK} on them, returns the snapshot. */
  Map<String, String> ansible(Path playbook, String label, Map<String, String> env)
      throws Exception {
    wipe();
    Path log = work.resolve(label + "-ansible.log");
    List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "-i", inventory().toString()));
    extraVars.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
    cmd.add(playbook.toString());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(playbook.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("ANSIBLE_NOCOLOR", "1");
    pb.environment().put("ANSIBLE_RETRY_FILES_ENABLED", "False");
    pb.environment().put("ANSIBLE_PIPELINING", "True"); // its fastest way: fewer round trips
    pb.environment().put("ANSIBLE_SSH_CONTROL_PATH_DIR", work.resolve("cp").toString());
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
    }
    PortedFleet.figure(label, "ansible-playbook", start, 1);
    if (p.exitValue() != 0) { // DEBUG
      Process f =
          new ProcessBuilder(
                  "sh",
                  "-c",
                  "find "
                      + work
                      + "/roots/web1/upper/root "
                      + work
                      + "/roots/web1/upper/usr/bin -ls; cat "
                      + work
                      + "/roots/web1/upper/root/.standin-systemd/log")
              .redirectErrorStream(true)
              .start();
      System.out.println(new String(f.getInputStream().readAllBytes()));
    }
    assertEquals(0, p.exitValue(), Files.readString(log));
    return snapshot();
  }

  /** Wipes the hosts, runs {@code orchestrator run PLAYBOOK} on them, returns the snapshot. */
  Map<String, String> orchestrator(Path playbook, String label) throws Exception {
    wipe();
    long start = System.nanoTime();
    Cli.Result run = Cli.run(runArgs(playbook, work.resolve(label + "-state")));
    PortedFleet.figure(label, "orchestrator run", start, 1);
    assertEquals(0, run.exitCode(), run.out() + run.err());
    return snapshot();
  }

  @Override
  public String[] runArgs(Path playbook, Path state) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                playbook.toString(),
                "-i",
                inventory().toString(),
                "--known-hosts",
                fleet.fleet().knownHosts().toString(),
                "--state-dir",
                state.toString(),
                "--no-progress"));
    extraVars.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
    return args.toArray(String[]::new);
  }
}
