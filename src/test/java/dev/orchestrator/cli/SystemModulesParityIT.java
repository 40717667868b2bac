package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code systemd}, {@code systemd_service}, {@code service}, {@code group}, {@code cron} and
 * {@code user} modules on real OpenSSH hosts ({@link OpenSshFleet}), compared with real Ansible's
 * ({@code ansible-playbook}, ansible-core's {@code lib/ansible/modules/systemd.py}) running the
 * same tasks on the same hosts with the same stand-in {@code systemctl} ({@code
 * src/test/resources/standins/systemctl}, first on {@code PATH} through each task's {@code
 * environment}): from the same starting units, the registered keys ({@code changed}, {@code
 * failed}, {@code name}, {@code state}, {@code enabled}, {@code status}, {@code msg} of a failure),
 * the units' end states and the sequence of {@code systemctl} commands that changed something are
 * Ansible's.
 */
class SystemModulesParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys compared with Ansible's, where Ansible has them. */
  private static final Set<String> COMPARED =
      Set.of(
          "changed",
          "failed",
          "name",
          "state",
          "enabled",
          "status",
          "msg",
          "gid",
          "system",
          "jobs",
          "envs",
          "cron_file",
          "warnings",
          "uid",
          "group",
          "groups",
          "comment",
          "home",
          "shell",
          "create_home",
          "append",
          "move_home",
          "force",
          "remove",
          "password");

  /** The tasks, each registered under its name, as both tools write them. */
  private static final Map<String, String> CALLS = new LinkedHashMap<>();

  static {
    CALLS.put("start", "systemd: {name: app, state: started}");
    CALLS.put("start_again", "systemd: {name: app, state: started}");
    CALLS.put("restart", "systemd_service: {name: app.service, state: restarted}");
    CALLS.put("reload_running", "systemd: {unit: web, state: reloaded}");
    CALLS.put("stop", "systemd: {name: web, state: stopped}");
    CALLS.put("stop_again", "systemd: {name: web, state: stopped}");
    CALLS.put("reload_stopped", "systemd: {name: web, state: reloaded}");
    CALLS.put("enable", "systemd: {name: app, enabled: true, daemon_reload: true}");
    CALLS.put("enable_again", "systemd: {name: app, enabled: 'yes'}");
    CALLS.put("disable", "systemd: {name: web, enabled: false, state: stopped}");
    CALLS.put("mask", "systemd: {name: db, masked: true}");
    CALLS.put("start_masked", "systemd: {name: db, state: started}");
    CALLS.put("missing", "systemd: {name: nope, state: started}");
    CALLS.put("reload_only", "systemd: {daemon_reload: true}");
  }

  @TempDir Path dir;

  /** The stand-in, copied from the test's classpath into an executable file. */
  private Path standIn() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("standin-bin"));
    try (InputStream in = SystemModulesParityIT.class.getResourceAsStream("/standins/systemctl")) {
      Files.copy(in, bin.resolve("systemctl"));
    }
    assertTrue(bin.resolve("systemctl").toFile().setExecutable(true, false));
    return bin;
  }

  /** Units app (stopped, disabled), web (running, enabled) and db (stopped) on every host. */
  private static void units(OpenSshFleet fleet) throws IOException {
    for (String host : fleet.hosts()) {
      Path d = fleet.home(host).resolve(".standin-systemd");
      deleteTree(d);
      for (String sub : List.of("units", "active", "enabled", "masked")) {
        Files.createDirectories(d.resolve(sub));
      }
      for (String unit : List.of("app", "web", "db")) {
        Files.writeString(d.resolve("units").resolve(unit + ".service"), "");
      }
      Files.writeString(d.resolve("active/web.service"), "");
      Files.writeString(d.resolve("enabled/web.service"), "");
    }
  }

  /** The units' states and the command log of each host. */
  private static Map<String, String> snapshot(OpenSshFleet fleet) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String host : fleet.hosts()) {
      Path d = fleet.home(host).resolve(".standin-systemd");
      for (String sub : List.of("active", "enabled", "masked")) {
        try (Stream<Path> files = Files.list(d.resolve(sub))) {
          out.put(
              host + " " + sub,
              files.map(p -> p.getFileName().toString()).sorted().toList().toString());
        }
      }
      out.put(host + " log", Files.readString(d.resolve("log")));
    }
    return out;
  }

  private static void deleteTree(Path d) throws IOException {
    if (Files.exists(d)) {
      try (Stream<Path> all = Files.walk(d)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static String tasks(
      Map<String, String> calls, String indent, boolean ours, String path, Path out) {
    StringBuilder s = new StringBuilder();
    calls.forEach(
        (name, call) -> {
          s.append(indent).append("- ");
          if (ours) {
            s.append("id: ")
                .append(name.replace('_', '-'))
                .append('\n')
                .append(indent)
                .append("  ");
          } else {
            s.append("name: ").append(name).append('\n').append(indent).append("  ");
          }
          s.append(call).append('\n');
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
          .append("/{{ inventory_hostname }}-")
          .append(name)
          .append(".json'}}\n");
    }
    return s.toString();
  }

  /** Runs Ansible's play of {@code calls} on the fleet, saving each result under {@code out}. */
  private void ansible(OpenSshFleet fleet, Map<String, String> calls, String path, Path out)
      throws Exception {
    Files.writeString(
        dir.resolve("play.yml"),
        "- hosts: all\n  gather_facts: false\n  tasks:\n" + tasks(calls, "    ", false, path, out));
    ProcessBuilder pb =
        new ProcessBuilder(
                "ansible-playbook",
                "-i",
                fleet.inventory().toString(),
                dir.resolve("play.yml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ansible.log").toFile());
    // one SSH round trip per task instead of four (the module on stdin, no temporary file): the
    // results are the module's either way, and the test takes half the time
    pb.environment().put("ANSIBLE_PIPELINING", "True");
    Process p = pb.start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("ansible.log")));
  }

  /** Runs our playbook of {@code calls} on the fleet, saving each result under {@code out}. */
  private void ours(OpenSshFleet fleet, Map<String, String> calls, String path, Path out)
      throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"), "hosts: all\nsteps:\n" + tasks(calls, "  ", true, path, out));
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

  @Test
  void systemdResultsEndStatesAndCommandsMatchAnsiblesOnTheSameHosts() throws Exception {
    OpenSshFleet.requireAvailable();
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1", "web2")))) {
      String path = standIn() + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
      Path theirs = Files.createDirectories(dir.resolve("theirs"));
      Path ours = Files.createDirectories(dir.resolve("ours"));
      // given Ansible's results from the starting units
      units(fleet);
      ansible(fleet, CALLS, path, theirs);
      Map<String, String> ansibleEnd = snapshot(fleet);
      // when ours run the same tasks from the same starting units
      units(fleet);
      ours(fleet, CALLS, path, ours);
      // then the run succeeded (above), ends in the same states by the same commands, with
      // Ansible's keys
      assertEquals(ansibleEnd, snapshot(fleet));
      compare(fleet.hosts(), CALLS, theirs, ours);
    }
  }

  /**
   * An init script standing in for a SysV service: it keeps its state in {@code state} (the {@code
   * service} command clears the environment), logs each action, and answers {@code status} as the
   * LSB asks (0 running, 3 not running).
   */
  private static String initScript(Path state) {
    return "#!/bin/sh\n"
        + "S='"
        + state
        + "'\n"
        + "case \"$1\" in\n"
        + "  start) : >\"$S/running\"; echo start >>\"$S/log\" ;;\n"
        + "  stop) rm -f \"$S/running\"; echo stop >>\"$S/log\" ;;\n"
        + "  restart|reload) : >\"$S/running\"; echo \"$1\" >>\"$S/log\" ;;\n"
        + "  status) if [ -f \"$S/running\" ]; then echo 'app is running'; exit 0; fi;"
        + " echo 'app is not running'; exit 3 ;;\n"
        + "  *) echo \"Usage: $0 {start|stop|restart|reload|status}\" >&2; exit 3 ;;\n"
        + "esac\n";
  }

  @Test
  void serviceWithAnInitScriptMatchesAnsiblesOnAHostWithoutSystemd() throws Exception {
    OpenSshFleet.requireAvailable();
    Assumptions.assumeFalse(
        Files.exists(Path.of("/run/systemd/system")), "this machine runs systemd");
    Assumptions.assumeTrue(
        Files.isWritable(Path.of("/etc/init.d")), "an init script needs a writable /etc/init.d");
    String name = "orch-it-" + Long.toHexString(System.nanoTime());
    Path script = Path.of("/etc/init.d", name);
    Path state = Files.createDirectories(dir.resolve("init-state"));
    Map<String, String> calls = new LinkedHashMap<>();
    calls.put("start", "service: {name: " + name + ", state: started}");
    calls.put("start_again", "service: {name: " + name + ", state: started}");
    calls.put("reload", "service: {name: " + name + ", state: reloaded}");
    calls.put("restart", "service: {name: " + name + ", state: restarted}");
    calls.put("stop", "service: {name: " + name + ", state: stopped}");
    calls.put("stop_again", "service: {name: " + name + ", state: stopped}");
    calls.put("missing", "service: {name: " + name + "-none, state: started}");
    String path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1")))) {
      Files.writeString(script, initScript(state));
      assertTrue(script.toFile().setExecutable(true, false));
      // given Ansible's results on a stopped service
      Path theirs = Files.createDirectories(dir.resolve("theirs"));
      ansible(fleet, calls, path, theirs);
      String ansibleLog = Files.readString(state.resolve("log"));
      boolean ansibleRunning = Files.exists(state.resolve("running"));
      // when ours run the same tasks on the service stopped again
      Files.delete(state.resolve("log"));
      Files.deleteIfExists(state.resolve("running"));
      Path ours = Files.createDirectories(dir.resolve("ours"));
      ours(fleet, calls, path, ours);
      // then the init script ran the same actions, and the registered keys are Ansible's
      assertEquals("start\nreload\nstop\nstart\nstop\n", ansibleLog);
      assertEquals(ansibleLog, Files.readString(state.resolve("log")));
      assertEquals(ansibleRunning, Files.exists(state.resolve("running")));
      compare(fleet.hosts(), calls, theirs, ours);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** Each task's registered keys of ours are Ansible's, where Ansible has them. */
  private static void compare(List<String> hosts, Map<String, String> calls, Path theirs, Path ours)
      throws IOException {
    for (String host : hosts) {
      for (String name : calls.keySet()) {
        Map<String, Object> a = read(theirs.resolve(host + "-" + name + ".json"));
        Map<String, Object> o = read(ours.resolve(host + "-" + name + ".json"));
        Map<String, Object> expected = new TreeMap<>();
        Map<String, Object> actual = new TreeMap<>();
        for (String key : COMPARED) {
          if (a.containsKey(key)) {
            expected.put(key, a.get(key));
            actual.put(key, o.get(key));
          }
        }
        assertEquals(expected, actual, host + " " + name + ": ours " + o + "\nAnsible's " + a);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path file) throws IOException {
    return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Map.class);
  }

  @Test
  void groupMatchesAnsiblesWithTheMachinesRealGroups() throws Exception {
    OpenSshFleet.requireAvailable();
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "groupadd needs root");
    String name = "orchit" + Long.toHexString(System.nanoTime()).substring(4);
    int gid = 43_000 + (int) (System.nanoTime() % 1000);
    Map<String, String> calls = new LinkedHashMap<>();
    calls.put("add", "group: {name: " + name + ", system: true}");
    calls.put("add_again", "group: {name: " + name + ", system: true}");
    calls.put("move", "group: {name: " + name + ", gid: " + gid + "}");
    calls.put("taken", "group: {name: " + name + ", gid: 0}");
    calls.put("delete", "group: {name: " + name + ", state: absent}");
    calls.put("delete_again", "group: {name: " + name + ", state: absent}");
    String path = "/usr/local/bin:/usr/bin:/bin";
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1")))) {
      // given Ansible's results, from no group of that name
      Path theirs = Files.createDirectories(dir.resolve("theirs"));
      ansible(fleet, calls, path, theirs);
      // when ours run the same tasks, from no group of that name again
      Path ours = Files.createDirectories(dir.resolve("ours"));
      ours(fleet, calls, path, ours);
      // then the registered keys are Ansible's (gid and system included), failures' msg too
      compare(fleet.hosts(), calls, theirs, ours);
    } finally {
      new ProcessBuilder("groupdel", name).redirectErrorStream(true).start().waitFor();
    }
  }

  /** What {@code crontab -u USER -l} prints. */
  private static String crontab(String user) throws Exception {
    Process p = new ProcessBuilder("crontab", "-u", user, "-l").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  @Test
  void cronMatchesAnsiblesOnAUsersCrontabAndACronFile() throws Exception {
    OpenSshFleet.requireAvailable();
    dev.orchestrator.sandbox.LocalUsers.requireRoot();
    try (var users = new dev.orchestrator.sandbox.LocalUsers();
        OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1")))) {
      String user = users.create("unused-" + System.nanoTime());
      Path file = dir.resolve("cron.d-app");
      String u = ", user: " + user;
      Map<String, String> calls = new LinkedHashMap<>();
      String nightly = "name: nightly" + u + ", minute: '30', job: \"echo 'a b' >/dev/null\"";
      calls.put("add", "cron: {" + nightly + ", hour: '2'}");
      calls.put("add_again", "cron: {" + nightly + ", hour: '2'}");
      calls.put("move", "cron: {" + nightly + ", hour: '3'}");
      calls.put(
          "reboot",
          "cron: {name: Start app" + u + ", special_time: reboot, job: forever start /a.js}");
      calls.put("env", "cron: {name: PATH, env: true, job: '/usr/bin:/bin'" + u + "}");
      calls.put(
          "env_after", "cron: {name: SHELL, env: yes, job: /bin/sh, insertafter: PATH" + u + "}");
      calls.put("disable", "cron: {" + nightly + ", hour: '3', disabled: true}");
      calls.put("remove", "cron: {name: Start app, state: absent" + u + "}");
      calls.put("remove_again", "cron: {name: Start app, state: absent" + u + "}");
      calls.put("both_times", "cron: {name: x, special_time: daily, hour: '1', job: x" + u + "}");
      calls.put(
          "file_add", "cron: {name: sync, cron_file: " + file + ", user: root, job: /bin/true}");
      calls.put("file_no_user", "cron: {name: x, cron_file: " + file + ", job: /bin/true}");
      calls.put("file_remove", "cron: {name: sync, cron_file: " + file + ", state: absent}");
      String path = "/usr/local/bin:/usr/bin:/bin";
      try {
        // given Ansible's results and crontab, from a user without one
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        ansible(fleet, calls, path, theirs);
        String ansibleCrontab = crontab(user);
        boolean ansibleFile = Files.exists(file);
        new ProcessBuilder("crontab", "-u", user, "-r").start().waitFor();
        // when ours run the same tasks, from no crontab again
        Path ours = Files.createDirectories(dir.resolve("ours"));
        ours(fleet, calls, path, ours);
        // then the crontab is Ansible's line for line, the cron file is gone as with Ansible,
        // and the registered keys are Ansible's (jobs, envs, failures' msg)
        assertTrue(ansibleCrontab.contains("#Ansible: nightly\n#30 3 * * *"), ansibleCrontab);
        assertEquals(ansibleCrontab, crontab(user));
        assertEquals(ansibleFile, Files.exists(file));
        compare(fleet.hosts(), calls, theirs, ours);
      } finally {
        new ProcessBuilder("crontab", "-u", user, "-r").start().waitFor();
      }
    }
  }

  /** The user's {@code /etc/passwd} line and shadow hash, empty when there is no such user. */
  private static String account(String user) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String db : List.of("passwd", "shadow")) {
      Process p = new ProcessBuilder("getent", db, user).start();
      String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      out.append(db.equals("passwd") ? line : line.replaceFirst("^[^:]*:([^:]*):.*", "$1"));
    }
    return out.toString();
  }

  @Test
  void userMatchesAnsiblesWithTheMachinesRealUsers() throws Exception {
    OpenSshFleet.requireAvailable();
    dev.orchestrator.sandbox.LocalUsers.requireRoot();
    String u = "orchiu" + Long.toHexString(System.nanoTime()).substring(6);
    String v = u + "v";
    int uid = 44_000 + (int) (System.nanoTime() % 1000);
    String hash =
        "$6$salt$egUxKNxDs8kPfh8iPMNcosMhb2eWah6d3R44JDm5Rj/j/XWR5E33QPd0YmHXoDHOIDR6kL5D3JcQcz0O8FHE00";
    String home = dir.resolve("home-" + u).toString();
    Map<String, String> calls = new LinkedHashMap<>();
    String add =
        "user: {name: "
            + u
            + ", uid: "
            + uid
            + ", group: users, comment: App user, shell: /bin/sh,"
            + " home: "
            + home
            + ", password: '"
            + hash
            + "'}";
    calls.put("add", add);
    calls.put("add_again", add);
    calls.put("comment", "user: {name: " + u + ", comment: Renamed, create_home: false}");
    calls.put("groups", "user: {name: " + u + ", groups: [adm], append: true}");
    calls.put("groups_again", "user: {name: " + u + ", groups: adm, append: true}");
    calls.put("no_group", "user: {name: " + u + ", group: " + u + "-none}");
    calls.put(
        "other",
        "user: {name: " + v + ", uid: " + (uid + 1) + ", group: users, create_home: false}");
    calls.put("delete", "user: {name: " + v + ", state: absent, force: true}");
    calls.put("delete_again", "user: {name: " + v + ", state: absent}");
    String path = "/usr/local/bin:/usr/bin:/bin";
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1")))) {
      // given Ansible's results and accounts, from no users of those names
      Path theirs = Files.createDirectories(dir.resolve("theirs"));
      ansible(fleet, calls, path, theirs);
      String ansibleAccount = account(u);
      boolean ansibleHome = Files.isDirectory(Path.of(home));
      new ProcessBuilder("userdel", "-f", "-r", u).start().waitFor();
      // when ours run the same tasks, from no users again
      Path ours = Files.createDirectories(dir.resolve("ours"));
      ours(fleet, calls, path, ours);
      // then the passwd line and shadow hash are Ansible's, the home was made, and the
      // registered keys are Ansible's (failures' msg too)
      assertTrue(ansibleAccount.contains(":Renamed:"), ansibleAccount);
      assertTrue(ansibleAccount.strip().endsWith(":/bin/sh\n" + hash), ansibleAccount);
      assertEquals(ansibleAccount, account(u));
      assertEquals(ansibleHome, Files.isDirectory(Path.of(home)));
      compare(fleet.hosts(), calls, theirs, ours);
    } finally {
      new ProcessBuilder("userdel", "-f", "-r", u).start().waitFor();
      new ProcessBuilder("userdel", "-f", v).start().waitFor();
    }
  }
}
