package dev.orchestrator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run of a ported playbook whose controller (its own JVM) is killed with kill -9 at seeded random
 * steps and resumed as an operator would, until the run ends. A kill point is a (host, step) of the
 * plan: the controller is killed as soon as that step's RUNNING checkpoint is in the run's journal
 * (the write-ahead rule makes it durable before the command is sent), so the step may be running,
 * or done and the next one started: the kill lands at or just after the point. Whether it lands
 * mid-step depends on timing; what the test asserts (the end state) does not. The seed ({@code
 * -Dports.seed}, else random) is printed: the same seed chooses the same points.
 */
final class KilledRun {
  private static final Pattern ROW = Pattern.compile("^    (\\S+)\\s+(.*)$");

  private final FleetRuns hosts;
  private final Path playbook;
  private final String label;

  KilledRun(FleetRuns hosts, Path playbook, String label) {
    this.hosts = hosts;
    this.playbook = playbook;
    this.label = label;
  }

  /**
   * Wipes the hosts, runs the playbook with kills, resumes it to the end and returns the snapshot.
   *
   * @param always steps of which one (chosen by the seed, on a host chosen by the seed) is always
   *     among the kill points: the load balancer's drains
   */
  Map<String, String> run(List<String> always) throws Exception {
    hosts.wipe();
    long seed = Long.getLong("ports.seed", new SecureRandom().nextLong());
    System.out.println(label + ": kill points from seed " + seed + " (-Dports.seed=" + seed + ")");
    Random random = new Random(seed);
    List<String> points = planPoints();
    TreeSet<Integer> chosen = new TreeSet<>();
    String forced = always.get(random.nextInt(always.size()));
    List<Integer> forcedAt = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i).endsWith("/" + forced)) {
        forcedAt.add(i);
      }
    }
    chosen.add(forcedAt.get(random.nextInt(forcedAt.size())));
    int kills = 2 + random.nextInt(2);
    while (chosen.size() < kills) {
      chosen.add(random.nextInt(points.size()));
    }
    List<String> killAt = chosen.stream().map(points::get).toList();
    System.out.println(label + ": kill points (host/step) " + killAt);

    Path state = hosts.work().resolve(label + "-killed-state");
    long start = System.nanoTime();
    int commands = 1;
    Process controller = controller(hosts.runArgs(playbook, state));
    Path journal = awaitJournal(state);
    long from = 0; // where the running controller's checkpoints start in the journal
    String runId = journal.getParent().getFileName().toString();
    boolean finished = false;
    for (String point : killAt) {
      String[] hs = point.split("/", 2);
      String running =
          "\"host\":\"" + hs[0] + "\",\"stepId\":\"" + hs[1] + "\",\"status\":\"RUNNING\"";
      Process c = controller;
      long since = from;
      await(point + " to be journalled as running, or the controller to end")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> !c.isAlive() || since(journal, since).contains(running));
      boolean alive = c.isAlive();
      c.destroyForcibly().waitFor();
      if (!alive) {
        assertEquals(0, c.exitValue(), "the controller ended before " + point + ": " + log(c));
        System.out.println(label + ": the run ended before " + point);
        finished = true;
        break;
      }
      System.out.println(label + ": killed the controller at " + point);
      from = Files.size(journal);
      controller = controller(new String[] {"resume", runId, "--state-dir", state.toString()});
      commands++;
    }
    if (!finished) {
      Process last = controller;
      await("the last resume to end").atMost(Duration.ofMinutes(5)).until(() -> !last.isAlive());
      assertEquals(0, last.exitValue(), "the last resume: " + log(last));
    }
    PortedFleet.figure(label, "orchestrator run with kills, resumed", start, commands);
    Cli.Result status = Cli.run("status", runId, "--state-dir", state.toString());
    assertTrue(status.out().contains("succeeded"), status.out() + status.err());
    return hosts.snapshot();
  }

  /** The plan's (host, step) pairs that will or may run, in the order of the plan. */
  private List<String> planPoints() {
    Cli.Result plan =
        Cli.run("plan", playbook.toString(), "-i", hosts.inventory().toString(), "--no-progress");
    assertEquals(0, plan.exitCode(), plan.out() + plan.err());
    List<String> out = new ArrayList<>();
    List<String> columns = List.of();
    for (String line : plan.out().split("\n")) {
      Matcher m = ROW.matcher(line);
      if (!m.matches() || m.group(1).equals("(host)")) {
        continue;
      }
      List<String> cells = List.of(m.group(2).replaceAll("\\s→\\s\\S+", "").trim().split("\\s+"));
      if (m.group(1).equals("step")) {
        columns = cells;
        continue;
      }
      for (int i = 0; i < columns.size() && i < cells.size(); i++) {
        if (cells.get(i).startsWith("run")) {
          out.add(columns.get(i) + "/" + m.group(1));
        }
      }
    }
    assertTrue(out.size() > 3, plan.out());
    return out;
  }

  private final List<Path> logs = new ArrayList<>();
  private final Map<Process, Path> logOf = new java.util.HashMap<>();

  private Process controller(String[] args) throws IOException {
    Path log = hosts.work().resolve(label + "-controller-" + logs.size() + ".log");
    logs.add(log);
    Process p = Cli.controller(log, args);
    logOf.put(p, log);
    return p;
  }

  private String log(Process p) throws IOException {
    return Files.readString(logOf.get(p));
  }

  private static String since(Path journal, long from) throws IOException {
    byte[] all = Files.readAllBytes(journal);
    int at = (int) Math.min(from, all.length);
    return new String(all, at, all.length - at, StandardCharsets.UTF_8);
  }

  private static Path awaitJournal(Path state) {
    return await("the controller to create a run's journal")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> journalIn(state), Optional::isPresent)
        .get();
  }

  private static Optional<Path> journalIn(Path state) throws IOException {
    Path runs = state.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.map(d -> d.resolve("journal.jsonl")).filter(Files::exists).findFirst();
    }
  }
}
