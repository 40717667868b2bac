package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.sandbox.OpenSshFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code script} and {@code unarchive} on real OpenSSH hosts ({@link OpenSshFleet}), compared with
 * real Ansible's ({@code ansible-playbook}, ansible-core's {@code plugins/action/script.py})
 * running the same tasks on the same hosts, all cases in one play ({@link ParityPlays}): a script
 * with arguments, from {@code chdir}, through {@code executable}, skipped by {@code creates} and
 * {@code removes}, and failing; a controller's tgz unpacked, again, with a mode, again; a zip on
 * the host ({@code remote_src}, {@code copy: false}) twice; {@code creates}; a missing {@code
 * dest}. The registered keys and the files the scripts leave are Ansible's, but for the terminal
 * Ansible runs a script on ({@code ssh -tt}: its lines end in {@code \r\n}, its stderr is in
 * stdout, and stderr holds ssh's "Shared connection ... closed.", not compared).
 */
class ArchiveModulesParityIT {
  /** Keys compared with Ansible's, where Ansible has them. */
  private static final Set<String> COMPARED =
      Set.of(
          "changed",
          "failed",
          "skipped",
          "msg",
          "rc",
          "stdout",
          "stdout_lines",
          "handler",
          "files",
          "dest",
          "mode",
          "state");

  @TempDir Path dir;

  private static Map<String, String> tasks(String root) {
    String d = root + "/{{ inventory_hostname }}";
    Map<String, String> t = new LinkedHashMap<>();
    t.put("folder", "shell: mkdir -p '" + d + "/run' && touch '" + d + "/present'");
    t.put("args", "script: \"show.sh 'a b' c " + d + "\"");
    t.put("chdir", "script: {cmd: show.sh here, chdir: '" + d + "/run'}");
    t.put("exe", "script: {cmd: plain.txt x, executable: /bin/sh}");
    t.put("created", "script: {cmd: show.sh no, creates: '" + d + "/present'}");
    t.put("removed", "script: {cmd: show.sh no, removes: '" + d + "/absent'}");
    t.put("fails", "script: fail.sh");
    String base = root.substring(0, root.lastIndexOf('/'));
    t.put(
        "dest",
        "shell: mkdir -p '" + d + "/u' '" + d + "/z' && cp '" + base + "/lib.zip' '" + d + "/'");
    t.put("untgz", "unarchive: {src: app.tgz, dest: '" + d + "/u', list_files: true}");
    t.put("untgz_again", "unarchive: {src: app.tgz, dest: '" + d + "/u'}");
    t.put("untgz_mode", "unarchive: {src: app.tgz, dest: '" + d + "/u', mode: '0750'}");
    t.put("untgz_mode_again", "unarchive: {src: app.tgz, dest: '" + d + "/u', mode: '0750'}");
    t.put(
        "unzip_remote",
        "unarchive: {src: '" + d + "/lib.zip', dest: '" + d + "/z', remote_src: true}");
    t.put("unzip_again", "unarchive: {src: '" + d + "/lib.zip', dest: '" + d + "/z', copy: false}");
    t.put(
        "unarchive_creates",
        "unarchive: {src: app.tgz, dest: '" + d + "/u', creates: '" + d + "/present'}");
    t.put("unarchive_nodest", "unarchive: {src: app.tgz, dest: '" + d + "/none'}");
    return t;
  }

  private static Map<String, String> files(Path root, List<String> hosts) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String host : hosts) {
      Path h = root.resolve(host);
      try (Stream<Path> all = Files.walk(h)) {
        for (Path p : all.toList()) {
          String what =
              Files.isSymbolicLink(p)
                  ? "-> " + Files.readSymbolicLink(p)
                  : PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                      + (Files.isRegularFile(p) && !p.toString().endsWith(".zip")
                          ? " " + Files.readString(p)
                          : "");
          out.put(host + " " + h.relativize(p), what);
        }
      }
    }
    return out;
  }

  /** The archives: a tgz with a folder, files and a link; a zip the host's zip made. */
  private void archives() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree/app"));
    Files.writeString(tree.resolve("a.txt"), "A\n");
    Files.writeString(tree.resolve("b.txt"), "B\n");
    Files.createSymbolicLink(tree.resolve("cur"), Path.of("a.txt"));
    Process t =
        new ProcessBuilder("tar", "-czf", dir.resolve("app.tgz").toString(), "-C", "tree", "app")
            .directory(dir.toFile())
            .start();
    assertEquals(0, t.waitFor());
    Path src = Files.createDirectories(dir.resolve("zipped/lib"));
    Files.writeString(src.resolve("l.txt"), "L\n");
    Process p =
        new ProcessBuilder("zip", "-qr", dir.resolve("lib.zip").toString(), "lib")
            .directory(dir.resolve("zipped").toFile())
            .start();
    assertEquals(0, p.waitFor());
    Files.copy(dir.resolve("app.tgz"), dir.resolve("files/app.tgz"));
  }

  @Test
  void scriptAndUnarchiveResultsAndFilesMatchAnsiblesOnTheSameHosts() throws Exception {
    OpenSshFleet.requireAvailable();
    Path files = Files.createDirectories(dir.resolve("files"));
    Files.writeString(
        files.resolve("show.sh"),
        "#!/bin/sh\necho \"$# [$1] [$2] $(pwd)\"\n[ -z \"$3\" ] || echo ran > \"$3/mark\"\n");
    Files.writeString(files.resolve("plain.txt"), "echo \"plain $1\"\n");
    Files.writeString(files.resolve("fail.sh"), "#!/bin/sh\necho before\nexit 3\n");
    archives();
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1")))) {
      Path theirs = Files.createDirectories(dir.resolve("theirs"));
      Path ours = Files.createDirectories(dir.resolve("ours"));
      // when Ansible runs the tasks in one folder, and ours in another
      Map<String, String> ourTasks = tasks(dir + "/o");
      ParityPlays.ansible(fleet, dir, tasks(dir + "/a"), theirs);
      ParityPlays.ours(fleet, dir, ourTasks, ours);
      // then the scripts left the same files
      assertEquals(files(dir.resolve("a"), fleet.hosts()), files(dir.resolve("o"), fleet.hosts()));
      // and each registered result has Ansible's keys, the folder's name the only difference
      ParityPlays.compare(
          fleet.hosts(),
          ourTasks,
          COMPARED,
          theirs,
          ours,
          // README: Ansible runs a script on a terminal (ssh -tt), whose lines end in \r\n
          v -> v.replace(dir + "/a", dir + "/o").replace("\r\n", "\n"),
          Set.of());
    }
  }
}
