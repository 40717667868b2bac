package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.execute.StandInDaemon;
import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * community.general's {@code haproxy}, {@code nagios} and {@code npm} modules on a real OpenSSH
 * host ({@link OpenSshFleet}), ours compared with real Ansible's ({@code ansible-playbook} running
 * the collection's modules) on the same host with the same stand-ins ({@code
 * src/test/resources/standins}: the {@code haproxy-stats} socket, the {@code nagios-cmd} pipe, the
 * {@code npm}): from the same start, the registered keys ({@code changed}, {@code failed}, {@code
 * msg}, {@code state_before}, {@code state_after}, {@code command}, {@code output}, {@code
 * nagios_commands} without their times), the servers' end states and the commands HAProxy, Nagios
 * and npm received are Ansible's. ({@code seboolean} is not compared: Ansible's needs SELinux's
 * Python bindings, which the test hosts lack.)
 */
class LampModulesParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> COMPARED =
      Set.of(
          "changed",
          "failed",
          "msg",
          "state_before",
          "state_after",
          "command",
          "output",
          "nagios_commands");

  private static final String SERVERS =
      "{\"version\": \"2.6.12\", \"backends\": {"
          + "\"myapplb\": {\"web1\": {\"status\": \"UP\", \"weight\": 1, \"scur\": 0},"
          + " \"web2\": {\"status\": \"UP\", \"weight\": 2, \"scur\": 0}},"
          + " \"other\": {\"web1\": {\"status\": \"UP\", \"weight\": 3, \"scur\": 0}}}}";

  @TempDir Path dir;

  /** The tasks, each registered under its name, as both tools write them. */
  private Map<String, String> calls() {
    String socket = dir.resolve("stats").toString();
    String fifo = dir.resolve("nagios.cmd").toString();
    String app = dir.resolve("app").toString();
    Map<String, String> c = new LinkedHashMap<>();
    c.put(
        "disable",
        "haproxy: {state: disabled, backend: myapplb, host: web1, socket: '" + socket + "'}");
    c.put(
        "disable_again",
        "haproxy: {state: disabled, backend: myapplb, host: web1, socket: '" + socket + "'}");
    c.put(
        "enable",
        "haproxy: {state: enabled, backend: myapplb, host: web1, socket: '"
            + socket
            + "', wait: true, wait_interval: 1}");
    c.put(
        "weight",
        "haproxy: {state: enabled, backend: myapplb, host: web2, weight: '7', socket: '"
            + socket
            + "'}");
    c.put("drain_all", "haproxy: {state: drain, host: web1, socket: '" + socket + "'}");
    c.put(
        "missing",
        "haproxy: {state: disabled, backend: myapplb, host: web9, socket: '" + socket + "'}");
    c.put(
        "missing_loud",
        "haproxy: {state: disabled, backend: myapplb, host: web9, fail_on_not_found: true, socket: '"
            + socket
            + "'}");
    c.put(
        "alerts_off",
        "nagios: {action: disable_alerts, host: web1, services: 'webserver,ssh', cmdfile: '"
            + fifo
            + "'}");
    c.put(
        "alerts_on",
        "nagios: {action: enable_alerts, host: web1, services: all, cmdfile: '" + fifo + "'}");
    c.put(
        "downtime",
        "nagios: {action: downtime, host: web1, services: host, start: '1000', minutes: 15, cmdfile: '"
            + fifo
            + "'}");
    c.put("silence", "nagios: {action: silence, host: web1, cmdfile: '" + fifo + "'}");
    c.put("no_fifo", "nagios: {action: silence_nagios, cmdfile: '" + dir.resolve("none") + "'}");
    c.put("npm_app", "npm: {path: '" + app + "'}");
    c.put("npm_app_again", "npm: {path: '" + app + "'}");
    c.put("npm_global", "npm: {name: forever, global: true}");
    c.put("npm_global_again", "npm: {name: forever, global: true}");
    return c;
  }

  private static String tasks(
      Map<String, String> calls, String indent, boolean ours, String path, Path out) {
    StringBuilder s = new StringBuilder();
    calls.forEach(
        (name, call) -> {
          s.append(indent).append("- ");
          s.append(ours ? "id: " + name.replace('_', '-') : "name: " + name).append('\n');
          s.append(indent).append("  ").append(call).append('\n');
          s.append(indent).append("  register: ").append(name).append('\n');
          s.append(indent).append("  ignore_errors: true\n");
          s.append(indent).append("  environment: {PATH: '").append(path).append("'}\n");
        });
    for (String name : calls.keySet()) {
      s.append(indent)
          .append("- {")
          .append(ours ? "id: save-" + name.replace('_', '-') + ", " : "")
          .append("copy: {content: \"{{ ")
          .append(name)
          .append(" | to_json }}\", dest: '")
          .append(out)
          .append("/")
          .append(name)
          .append(".json'}}\n");
    }
    return s.toString();
  }

  /** Fresh servers, pipe reader, project and npm state; returns the daemons to stop. */
  private List<StandInDaemon> start(Path home) throws Exception {
    Files.writeString(dir.resolve("servers.json"), SERVERS);
    Files.deleteIfExists(dir.resolve("servers.json.log"));
    Files.deleteIfExists(dir.resolve("nagios.log"));
    deleteTree(dir.resolve("app"));
    deleteTree(home.resolve(".standin-npm"));
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(
        dir.resolve("app/package.json"),
        "{\"name\": \"app\", \"dependencies\": {\"express\": \"^4.18.2\"}}");
    return List.of(
        StandInDaemon.start(
            dir,
            "haproxy-stats",
            dir.resolve("stats").toString(),
            dir.resolve("servers.json").toString()),
        StandInDaemon.start(
            dir,
            "nagios-cmd",
            dir.resolve("nagios.cmd").toString(),
            dir.resolve("nagios.log").toString()));
  }

  /** What HAProxy, Nagios and npm hold and received, times removed. */
  private Map<String, String> snapshot(Path home) throws IOException {
    Map<String, String> out = new TreeMap<>();
    out.put("servers", Files.readString(dir.resolve("servers.json")));
    out.put(
        "haproxy log",
        Files.readString(dir.resolve("servers.json.log")).replaceAll("(?m)^\\d+ ", ""));
    out.put(
        "nagios log", Files.readString(dir.resolve("nagios.log")).replaceAll("(?m)^\\[\\d+] ", ""));
    out.put("npm log", Files.readString(home.resolve(".standin-npm/log")));
    return out;
  }

  private Path standIns() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("standin-bin"));
    try (InputStream in = LampModulesParityIT.class.getResourceAsStream("/standins/npm")) {
      Files.copy(in, bin.resolve("npm"));
    }
    assertTrue(bin.resolve("npm").toFile().setExecutable(true, false));
    return bin;
  }

  @Test
  void haproxyNagiosAndNpmMatchAnsiblesOnTheSameHost() throws Exception {
    OpenSshFleet.requireAvailable();
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("lb", List.of("lb1")))) {
      Path home = fleet.home("lb1");
      String path = standIns() + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
      Path theirs = Files.createDirectories(dir.resolve("theirs"));
      Path ours = Files.createDirectories(dir.resolve("ours"));
      // given Ansible's results from the starting servers, pipe and project
      Map<String, String> ansibleEnd;
      List<StandInDaemon> daemons = start(home);
      try {
        ansible(fleet, path, theirs);
        ansibleEnd = snapshot(home);
      } finally {
        daemons.forEach(StandInDaemon::close);
      }
      // when ours run the same tasks from the same start
      daemons = start(home);
      try {
        ours(fleet, path, ours);
        // then the same end states, reached by the same commands, with Ansible's keys
        assertEquals(ansibleEnd, snapshot(home));
      } finally {
        daemons.forEach(StandInDaemon::close);
      }
      compare(theirs, ours);
    }
  }

  private void ansible(OpenSshFleet fleet, String path, Path out) throws Exception {
    Files.writeString(
        dir.resolve("play.yml"),
        "- hosts: all\n  gather_facts: false\n  tasks:\n"
            + tasks(calls(), "    ", false, path, out));
    ProcessBuilder pb =
        new ProcessBuilder(
                "ansible-playbook",
                "-i",
                fleet.inventory().toString(),
                dir.resolve("play.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ansible.log").toFile());
    pb.environment().put("ANSIBLE_PIPELINING", "True");
    Process p = pb.start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("ansible.log")));
  }

  private void ours(OpenSshFleet fleet, String path, Path out) throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"), "hosts: all\nsteps:\n" + tasks(calls(), "  ", true, path, out));
    Cli.Result run =
        Cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            fleet.inventory().toString(),
            "--known-hosts",
            fleet.knownHosts().toString(),
            "--state-dir",
            dir.resolve("state").toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
  }

  private void compare(Path theirs, Path ours) throws IOException {
    for (String name : calls().keySet()) {
      Map<String, Object> a = read(theirs.resolve(name + ".json"));
      Map<String, Object> o = read(ours.resolve(name + ".json"));
      Map<String, Object> expected = new TreeMap<>();
      Map<String, Object> actual = new TreeMap<>();
      for (String key : COMPARED) {
        if (a.containsKey(key)) {
          expected.put(key, untimed(a.get(key)));
          actual.put(key, untimed(o.get(key)));
        }
      }
      assertEquals(expected, actual, name + ": ours " + o + "\nAnsible's " + a);
    }
  }

  private static Object untimed(Object v) {
    if (v instanceof List<?> l) {
      return l.stream()
          .map(x -> x instanceof String s ? s.replaceAll("^\\[\\d+] ", "") : x)
          .toList();
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path file) throws IOException {
    return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Map.class);
  }

  private static void deleteTree(Path d) throws IOException {
    if (Files.exists(d)) {
      try (var all = Files.walk(d)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
