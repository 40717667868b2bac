package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs the same tasks with {@code ansible-playbook} and with ours on an {@link OpenSshFleet}, each
 * module task registered under its name and saved as JSON per host, and compares the registered
 * keys: for the module parity tests ({@link GitParityIT}, {@link GetUrlParityIT}) and the play
 * reader's ({@link KeywordsParityIT}).
 */
final class ParityPlays {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParityPlays() {}

  /** Whether a task's result is registered and compared (a {@code shell:} task's is not). */
  private static boolean registered(String call) {
    return !call.startsWith("shell:");
  }

  /**
   * The tasks as Ansible's play ({@code ours} false) or our steps, results saved under {@code out}.
   */
  static String tasks(Map<String, String> tasks, boolean ours, String indent, Path out) {
    StringBuilder s = new StringBuilder();
    tasks.forEach(
        (name, call) -> {
          s.append(indent).append(ours ? "- id: " + name : "- name: " + name).append('\n');
          s.append(indent).append("  ").append(call).append('\n');
          if (registered(call)) {
            s.append(indent).append("  register: ").append(name).append('\n');
            s.append(indent).append("  ignore_errors: true\n");
          }
        });
    tasks.forEach(
        (name, call) -> {
          if (registered(call)) {
            s.append(indent)
                .append("- {")
                .append(ours ? "id: save-" + name + ", " : "")
                .append("copy: {content: \"{{ ")
                .append(name)
                .append(" | to_json }}\", dest: '")
                .append(out)
                .append("/{{ inventory_hostname }}-")
                .append(name)
                .append(".json'}}\n");
          }
        });
    return s.toString();
  }

  /** Runs Ansible's play of {@code tasks} on the fleet (pipelining, as the other parity tests). */
  static void ansible(OpenSshFleet fleet, Path dir, Map<String, String> tasks, Path out)
      throws Exception {
    Files.writeString(
        dir.resolve("play.yml"),
        "- hosts: all\n  gather_facts: false\n  tasks:\n" + tasks(tasks, false, "    ", out));
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

  /**
   * Runs Ansible's play of {@code tasks} (the file {@link #ansible} runs) with ours, unchanged: the
   * play reader's parity.
   */
  static void oursOnAnsiblePlay(OpenSshFleet fleet, Path dir, Map<String, String> tasks, Path out)
      throws Exception {
    Files.writeString(
        dir.resolve("play-ours.yml"),
        "- hosts: all\n  gather_facts: false\n  tasks:\n" + tasks(tasks, false, "    ", out));
    run(fleet, dir, "play-ours.yml");
  }

  /** Runs our playbook of {@code tasks} on the fleet. */
  static void ours(OpenSshFleet fleet, Path dir, Map<String, String> tasks, Path out)
      throws Exception {
    Files.writeString(
        dir.resolve("pb.yml"), "hosts: all\nsteps:\n" + tasks(tasks, true, "  ", out));
    run(fleet, dir, "pb.yml");
  }

  /** Runs {@code orchestrator run FILE} (in {@code dir}) on the fleet; it must succeed. */
  private static void run(OpenSshFleet fleet, Path dir, String file) {
    Cli.Result run =
        Cli.run(
            "run",
            dir.resolve(file).toString(),
            "-i",
            fleet.inventory().toString(),
            "--known-hosts",
            fleet.knownHosts().toString(),
            "--state-dir",
            dir.resolve("state").toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
  }

  /**
   * Each task's registered keys of ours are Ansible's, where Ansible has them, after {@code theirs}
   * maps Ansible's text values (a folder name) onto ours.
   */
  static void compare(
      Iterable<String> hosts,
      Map<String, String> tasks,
      Set<String> keys,
      Path theirs,
      Path ours,
      UnaryOperator<String> mapped,
      Set<String> differences)
      throws IOException {
    for (String host : hosts) {
      for (Map.Entry<String, String> task : tasks.entrySet()) {
        if (!registered(task.getValue())) {
          continue;
        }
        Map<String, Object> a = read(theirs.resolve(host + "-" + task.getKey() + ".json"));
        Map<String, Object> o = read(ours.resolve(host + "-" + task.getKey() + ".json"));
        Map<String, Object> expected = new TreeMap<>();
        Map<String, Object> actual = new TreeMap<>();
        for (String key : keys) {
          if (a.containsKey(key) && !differences.contains(task.getKey() + "." + key)) {
            expected.put(key, mapped.apply(String.valueOf(a.get(key))));
            actual.put(key, String.valueOf(o.get(key)));
          }
        }
        assertEquals(
            expected, actual, host + " " + task.getKey() + ": ours " + o + "\nAnsible's " + a);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path file) throws IOException {
    return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Map.class);
  }
}
