package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.sandbox.GitRepositories;
import dev.orchestrator.sandbox.OpenSshFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code git} module on real OpenSSH hosts ({@link OpenSshFleet}), compared with real Ansible's
 * ({@code ansible-playbook}, ansible-core's {@code lib/ansible/modules/git.py}) running the same
 * tasks on the same hosts against the same bare repository, made by the test and served over {@code
 * file://}: a clone, again, a branch, an annotated tag, a SHA, local modifications with and without
 * {@code force}, {@code clone: no}, {@code update: no}, an unknown version, a shallow clone and a
 * new remote URL. The registered keys ({@code changed}, {@code failed}, {@code before}, {@code
 * after}, {@code remote_url_changed}, {@code msg}, a failure's {@code cmd}, {@code rc} and {@code
 * stderr}) and the checkouts' end states (revision, branch, remote URL, shallowness, file content)
 * are Ansible's.
 */
class GitParityIT {

  /** Keys compared with Ansible's, where Ansible has them. */
  private static final Set<String> COMPARED =
      Set.of(
          "changed",
          "failed",
          "before",
          "after",
          "remote_url_changed",
          "msg",
          "cmd",
          "rc",
          "stderr");

  @TempDir Path dir;

  private static String git(Path cwd, String... args) throws Exception {
    return GitRepositories.git(cwd, args);
  }

  /** The tasks, in order: a name and the module call; names without a call are shell tasks. */
  private static Map<String, String> tasks(Path origin, Path mirror, String root, String sha) {
    String co = root + "/{{ inventory_hostname }}/co";
    String repo = "repo: '" + origin + "'";
    Map<String, String> t = new LinkedHashMap<>();
    t.put("clone", "git: {" + repo + ", dest: '" + co + "'}");
    t.put("again", "git: {" + repo + ", dest: '" + co + "'}");
    t.put("branch", "git: {" + repo + ", dest: '" + co + "', version: dev}");
    t.put("tag", "git: {" + repo + ", dest: '" + co + "', version: v2}");
    t.put("sha", "git: {" + repo + ", dest: '" + co + "', version: " + sha + "}");
    t.put("modify", "shell: echo mine > '" + co + "/f'");
    t.put("dirty", "git: {" + repo + ", dest: '" + co + "', version: main}");
    t.put("forced", "git: {" + repo + ", dest: '" + co + "', version: main, force: true}");
    t.put(
        "ask",
        "git: {"
            + repo
            + ", dest: '"
            + root
            + "/{{ inventory_hostname }}/none', "
            + "version: v2, clone: false}");
    t.put("keep", "git: {" + repo + ", dest: '" + co + "', version: dev, update: false}");
    t.put("nope", "git: {" + repo + ", dest: '" + co + "', version: nope}");
    t.put("shallow", "git: {" + repo + ", dest: '" + co + "2', version: main, depth: 1}");
    t.put("moved", "git: {repo: 'file://" + mirror + "', dest: '" + co + "', version: main}");
    return t;
  }

  /** Each checkout's revision, branch, remote URL, shallowness and file content. */
  private static Map<String, String> endState(Path root, List<String> hosts) throws Exception {
    Map<String, String> state = new TreeMap<>();
    for (String host : hosts) {
      for (String co : List.of("co", "co2")) {
        Path d = root.resolve(host).resolve(co);
        state.put(host + " " + co + " HEAD", git(d, "rev-parse", "HEAD"));
        state.put(host + " " + co + " branch", git(d, "rev-parse", "--abbrev-ref", "HEAD"));
        state.put(host + " " + co + " url", git(d, "remote", "get-url", "origin"));
        state.put(host + " " + co + " shallow", git(d, "rev-parse", "--is-shallow-repository"));
        state.put(host + " " + co + " f", Files.readString(d.resolve("f")));
      }
      state.put(host + " none", String.valueOf(Files.exists(root.resolve(host).resolve("none"))));
    }
    return state;
  }

  @Test
  void gitResultsAndCheckoutsMatchAnsiblesOnTheSameHosts() throws Exception {
    OpenSshFleet.requireAvailable();
    // given a bare repository (main: two commits, tags v1 and annotated v2; dev: a third) and a
    // copy of it at another URL
    Path origin = GitRepositories.bare(dir);
    Path mirror = dir.resolve("mirror.git");
    git(dir, "clone", "-q", "--bare", origin.toString(), mirror.toString());
    String sha = git(dir.resolve("work"), "rev-parse", "main~1");
    try (OpenSshFleet fleet = OpenSshFleet.start(dir, Map.of("web", List.of("web1", "web2")))) {
      Path theirs = Files.createDirectories(dir.resolve("theirs"));
      Path ours = Files.createDirectories(dir.resolve("ours"));
      // when Ansible runs the tasks in one folder, and ours in another
      Map<String, String> ourTasks = tasks(origin, mirror, dir + "/o", sha);
      ParityPlays.ansible(fleet, dir, tasks(origin, mirror, dir + "/a", sha), theirs);
      ParityPlays.ours(fleet, dir, ourTasks, ours);
      // then the checkouts end the same
      assertEquals(
          endState(dir.resolve("a"), fleet.hosts()), endState(dir.resolve("o"), fleet.hosts()));
      // and each registered result has Ansible's keys, with the folder's name the only difference
      ParityPlays.compare(
          fleet.hosts(),
          ourTasks,
          COMPARED,
          theirs,
          ours,
          v -> v.replace(dir + "/a/", dir + "/o/"),
          Set.of());
    }
  }
}
