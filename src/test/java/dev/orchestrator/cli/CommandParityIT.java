package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modules {@code command}, {@code shell} (its mapping form), {@code ping} and {@code stat}
 * compared with real Ansible's ({@code ansible-playbook} against {@code localhost}, ansible-core
 * 2.14's {@code command.py}, {@code ping.py}, {@code stat.py}) on the same files: the same task
 * list in both formats, each registered result saved as JSON; every key we document has Ansible's
 * value (times excepted), and the files the commands made are the same.
 */
class CommandParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys compared with Ansible's, where Ansible has them. */
  private static final Set<String> COMPARED =
      Set.of(
          "cmd",
          "rc",
          "stdout",
          "stderr",
          "stdout_lines",
          "stderr_lines",
          "changed",
          "failed",
          "msg",
          "ping");

  /** Keys of {@code stat} compared (not the times, nor what we do not return). */
  private static final Set<String> STAT_KEYS =
      Set.of(
          "exists",
          "path",
          "mode",
          "isdir",
          "isreg",
          "islnk",
          "ischr",
          "isblk",
          "isfifo",
          "issock",
          "uid",
          "gid",
          "pw_name",
          "gr_name",
          "size",
          "inode",
          "dev",
          "nlink",
          "blocks",
          "block_size",
          "rusr",
          "wusr",
          "xusr",
          "rgrp",
          "wgrp",
          "xgrp",
          "roth",
          "woth",
          "xoth",
          "isuid",
          "isgid",
          "readable",
          "writeable",
          "executable",
          "lnk_source",
          "lnk_target",
          "checksum");

  /** The calls, each registered under its name; {@code D} is the work folder. */
  private static final Map<String, String> CALLS = new LinkedHashMap<>();

  static {
    CALLS.put("plain", "command: echo  hello   'two  words' \"a\\\"b\"");
    CALLS.put("vars", "command: printf '%s|' $HOME ~ ${HOME}/x $NOT_SET_X '$(id)' '*' \"a;b\"");
    CALLS.put("argv", "command: {argv: [printf, '%s|', 'a b', '$HOME', '', \"x'y\"]}");
    CALLS.put("chdir", "command: {cmd: touch made-here, chdir: D}");
    CALLS.put("creates_hit", "command: {cmd: touch never, creates: D/made-*}");
    CALLS.put("creates_miss", "command: {cmd: touch D/created, creates: D/nothing-*}");
    CALLS.put("removes_miss", "command: {cmd: touch D/never2, removes: D/nothing}");
    CALLS.put("stdin", "command: {cmd: cat, stdin: \"line 1\\nline 2\"}");
    CALLS.put("stdin_raw", "command: {cmd: cat, stdin: abc, stdin_add_newline: false}");
    CALLS.put("nostrip", "command: {cmd: printf 'x\\n\\n', strip_empty_ends: false}");
    CALLS.put("fails", "command: sh -c 'echo out; echo err >&2; exit 3'");
    CALLS.put("missing", "command: no-such-command-x arg");
    CALLS.put("shell_map", "shell: {cmd: \"echo $HOME | tr a-z A-Z; pwd; echo e >&2\", chdir: D}");
    CALLS.put("shell_stdin", "shell: {cmd: cat; exit 0, stdin: x, removes: D/made-here}");
    CALLS.put("shell_skip", "shell: {cmd: touch never3, creates: D/made-here}");
    CALLS.put("pong", "ping:");
    CALLS.put("pong_data", "ping: {data: hi}");
    CALLS.put("stat_file", "stat: {path: D/made-here}");
    CALLS.put("stat_dir", "stat: {path: D}");
    CALLS.put("stat_link", "stat: {path: D/link}");
    CALLS.put("stat_follow", "stat: {path: D/link, follow: true, checksum_algorithm: sha256}");
    CALLS.put("stat_none", "stat: {path: D/none}");
  }

  private static final Set<String> FAILING = Set.of("fails", "missing");

  @TempDir Path dir;

  private static String task(String name, String call, Path work, boolean ours) {
    return "- "
        + (ours ? "id: " + name.replace('_', '-') + "\n  " : "")
        + call.replace("D", work.toString())
        + "\n  register: "
        + name
        + (FAILING.contains(name) ? "\n  ignore_errors: true" : "")
        + "\n";
  }

  private static String saves(Path out, boolean ours) {
    StringBuilder s = new StringBuilder();
    for (String name : CALLS.keySet()) {
      s.append("- {")
          .append(ours ? "id: save-" + name.replace('_', '-') + ", " : "")
          .append("copy: {content: \"{{ ")
          .append(name)
          .append(" | to_json }}\", dest: '")
          .append(out.resolve(name + ".json"))
          .append("'}}\n");
    }
    return s.toString();
  }

  private static String indent(String text, String by) {
    return text.lines().map(l -> by + l + "\n").reduce("", String::concat);
  }

  private static void prepare(Path work) throws IOException {
    Files.createDirectories(work);
    Files.writeString(work.resolve("target"), "content\n");
    Files.createSymbolicLink(work.resolve("link"), work.resolve("target"));
  }

  @Test
  void resultsAndFilesMatchAnsibles() throws Exception {
    // given Ansible's results for the calls, in its own folder
    Path theirs = dir.resolve("theirs");
    Path theirWork = dir.resolve("w").resolve("theirs");
    Files.createDirectories(theirs);
    prepare(theirWork);
    StringBuilder tasks = new StringBuilder();
    CALLS.forEach((n, c) -> tasks.append(task(n, c, theirWork, false)));
    tasks.append(saves(theirs, false));
    Files.writeString(
        dir.resolve("play.yml"),
        "- hosts: localhost\n  gather_facts: false\n  tasks:\n" + indent(tasks.toString(), "    "));
    Path home = Files.createDirectories(dir.resolve("home")); // $HOME and ~ expand the same
    ProcessBuilder ansible =
        new ProcessBuilder(
            "ansible-playbook",
            "-i",
            "localhost,",
            "-c",
            "local",
            dir.resolve("play.yml").toString());
    ansible.environment().put("HOME", home.toString());
    Process p =
        ansible
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ansible.log").toFile())
            .start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("ansible.log")));
    // when ours run the same calls in a folder of the same shape (same name length)
    Path ours = dir.resolve("ours");
    Path ourWork = dir.resolve("w").resolve("oursxx");
    Files.createDirectories(ours);
    prepare(ourWork);
    StringBuilder steps = new StringBuilder();
    CALLS.forEach((n, c) -> steps.append(task(n, c, ourWork, true)));
    steps.append(saves(ours, true));
    Files.writeString(dir.resolve("pb.yml"), "steps:\n" + indent(steps.toString(), "  "));
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1:\n      connection: local\n");
    Cli.Result run =
        Cli.withLocalHome(home)
            .run(
                "run",
                dir.resolve("pb.yml").toString(),
                "-i",
                dir.resolve("inv.yml").toString(),
                "--state-dir",
                dir.resolve("state").toString());
    // then the run succeeds, each compared key is Ansible's, and the same files were made
    assertEquals(0, run.exitCode(), run.out() + run.err());
    for (String name : CALLS.keySet()) {
      Map<String, Object> a = read(theirs.resolve(name + ".json"), theirWork, ourWork);
      Map<String, Object> o = read(ours.resolve(name + ".json"), theirWork, ourWork);
      Map<String, Object> expected = new TreeMap<>();
      Map<String, Object> actual = new TreeMap<>();
      for (String key : COMPARED) {
        if (a.containsKey(key)) {
          expected.put(key, a.get(key));
          actual.put(key, o.get(key));
        }
      }
      if (a.get("stat") instanceof Map<?, ?> stat) {
        for (String key : STAT_KEYS) {
          Object mine = ((Map<?, ?>) o.get("stat")).get(key);
          Object theirsValue = stat.get(key);
          if (Set.of("inode", "path", "lnk_source", "lnk_target").contains(key)
              && theirsValue != null) {
            theirsValue = "present"; // differs between the two folders by nature
            mine = mine == null ? null : "present";
          }
          expected.put("stat." + key, theirsValue);
          actual.put("stat." + key, mine);
        }
      }
      assertEquals(expected, actual, name + ": ours " + o + "\nAnsible's " + a);
    }
    assertEquals(listing(theirWork), listing(ourWork));
  }

  private static String listing(Path work) throws IOException {
    try (var files = Files.list(work)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList().toString();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path file, Path theirWork, Path ourWork)
      throws IOException {
    String text = Files.readString(file).replace(ourWork.toString(), theirWork.toString());
    return JSON.readValue(text, Map.class);
  }
}
