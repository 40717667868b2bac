package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.GitRepositories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code git} ({@link GitModule}) with the machine's real {@code git} on a bare repository made by
 * the test and served over {@code file://}: Ansible's {@code changed} rules, {@code before}/{@code
 * after} and failure keys ({@code git.py}).
 */
class GitModuleTest {
  @TempDir Path dir;

  private static String git(Path cwd, String... args) throws Exception {
    return GitRepositories.git(cwd, args);
  }

  private static GitModule git(Path repo, Path dest, String version) {
    return new GitModule(
        repo.toString(), dest.toString(), version, "origin", false, 0, true, true, "no", "", true);
  }

  private static ModuleOutcome run(GitModule m) throws Exception {
    try (StandInHost host = StandInHost.with()) {
      return m.outcome(host.run(m.script()));
    }
  }

  @Test
  void clonesOnceUpdatesToNewCommitsAndSwitchesToBranchesTagsAndShas() throws Exception {
    // given a repository and no checkout
    Path origin = GitRepositories.bare(dir);
    Path dest = dir.resolve("co");
    String two = git(dir.resolve("work"), "rev-parse", "main");
    String three = git(dir.resolve("work"), "rev-parse", "dev");
    String one = git(dir.resolve("work"), "rev-parse", "main~1");
    // when it is cloned, cloned again, moved to dev, to tag v1 (main), to a sha
    ModuleOutcome cloned = run(git(origin, dest, "HEAD"));
    ModuleOutcome again = run(git(origin, dest, "HEAD"));
    ModuleOutcome dev = run(git(origin, dest, "dev"));
    String tracked = git(dest, "rev-parse", "--abbrev-ref", "HEAD");
    ModuleOutcome tag = run(git(origin, dest, "v2"));
    ModuleOutcome sha = run(git(origin, dest, one));
    // then each reports Ansible's before/after and changed
    assertEquals(true, cloned.fields().get("changed"), cloned.result().stderr());
    assertNull(cloned.fields().get("before"));
    assertTrue(cloned.fields().containsKey("before"), "before: null, as Ansible's clone");
    assertEquals(two, cloned.fields().get("after"));
    assertEquals(false, again.fields().get("changed"), again.result().stderr());
    assertEquals(two, again.fields().get("before"));
    assertEquals(false, again.fields().get("remote_url_changed"));
    assertEquals(
        List.of(true, three), List.of(dev.fields().get("changed"), dev.fields().get("after")));
    assertEquals("dev", tracked, "a branch is checked out as a local branch");
    assertEquals(
        List.of(true, two), List.of(tag.fields().get("changed"), tag.fields().get("after")));
    assertEquals(
        List.of(true, one), List.of(sha.fields().get("changed"), sha.fields().get("after")));
    // and a new commit on main is fetched by the next update
    Path work = dir.resolve("work");
    Files.writeString(work.resolve("f"), "four\n");
    git(work, "commit", "-q", "-am", "four");
    git(work, "push", "-q", origin.toString(), "main");
    ModuleOutcome moved = run(git(origin, dest, "main"));
    assertEquals(git(work, "rev-parse", "main"), moved.fields().get("after"));
    assertEquals("four\n", Files.readString(dest.resolve("f")));
  }

  @Test
  void localModificationsFailWithoutForceAndAreResetWithIt() throws Exception {
    // given a checkout with a changed tracked file
    Path origin = GitRepositories.bare(dir);
    Path dest = dir.resolve("co");
    run(git(origin, dest, "main"));
    Files.writeString(dest.resolve("f"), "mine\n");
    // when it is updated without force, then with force
    ModuleOutcome refused = run(git(origin, dest, "main"));
    ModuleOutcome forced =
        run(
            new GitModule(
                origin.toString(),
                dest.toString(),
                "main",
                "origin",
                true,
                0,
                true,
                true,
                "no",
                "",
                true));
    // then the first fails with Ansible's message and before, the second resets and changes
    assertFalse(refused.result().succeeded());
    assertEquals(
        "Local modifications exist in the destination: " + dest + " (force=no).",
        refused.fields().get("msg"));
    assertEquals(git(dir.resolve("work"), "rev-parse", "main"), refused.fields().get("before"));
    assertEquals(true, forced.fields().get("changed"), forced.result().stderr());
    assertEquals(
        "Local modifications exist in the destination: " + dest, forced.fields().get("msg"));
    assertEquals("two\n", Files.readString(dest.resolve("f")));
  }

  @Test
  void cloneNoAsksTheRemoteAndUpdateNoReportsTheCheckout() throws Exception {
    // given a repository, a checkout, and a folder that is not one
    Path origin = GitRepositories.bare(dir);
    Path dest = dir.resolve("co");
    run(git(origin, dest, "main"));
    String two = git(dir.resolve("work"), "rev-parse", "main");
    // when clone: no asks for tag v2 of a missing checkout, and update: no looks at the checkout
    ModuleOutcome asked =
        run(
            new GitModule(
                origin.toString(),
                dir.resolve("none").toString(),
                "v2",
                "origin",
                false,
                0,
                false,
                true,
                "no",
                "",
                true));
    ModuleOutcome looked =
        run(
            new GitModule(
                origin.toString(),
                dest.toString(),
                "dev",
                "origin",
                false,
                0,
                true,
                false,
                "no",
                "",
                true));
    // then clone: no is changed with the remote's revision of the tag (the commit it points at)
    assertEquals(true, asked.fields().get("changed"), asked.result().stderr());
    assertEquals(two, asked.fields().get("after"));
    assertFalse(Files.exists(dir.resolve("none")));
    // and update: no changes nothing
    assertEquals(
        List.of(false, two, two),
        List.of(
            looked.fields().get("changed"),
            looked.fields().get("before"),
            looked.fields().get("after")));
  }

  @Test
  void anUnknownVersionFailsAsAnsiblesCheckoutDoes() throws Exception {
    // given a checkout
    Path origin = GitRepositories.bare(dir);
    Path dest = dir.resolve("co");
    run(git(origin, dest, "main"));
    // when it is switched to a version that does not exist
    ModuleOutcome o = run(git(origin, dest, "nope"));
    // then the checkout's failure is the step's: msg, cmd, rc and stderr as Ansible's
    assertFalse(o.result().succeeded());
    assertEquals("Failed to checkout nope", o.fields().get("msg"));
    assertTrue(String.valueOf(o.fields().get("cmd")).endsWith("git checkout --force nope"));
    assertEquals(1, o.result().exitCode());
    assertEquals(
        "error: pathspec 'nope' did not match any file(s) known to git\n", o.result().stderr());
  }
}
