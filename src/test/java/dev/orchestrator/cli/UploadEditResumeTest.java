package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload step is part of its step's definition: editing its {@code dest} or its artifact after
 * it succeeded is noticed on resume exactly as an edit to a shell step's command is (resume refuses
 * without {@code --rerun-step}).
 */
class UploadEditResumeTest {
  @TempDir Path dir;

  /** The CLI, its local hosts (and their leases) in a home of the test's own. */
  private Cli.Session cli;

  @BeforeEach
  void localHome(@TempDir Path home) {
    cli = Cli.withLocalHome(home);
  }

  private static final String PLAYBOOK =
      """
      artifacts:
        - {id: a, url: "file://%1$s/a.bin", sha256: "%2$s"}
        - {id: b, url: "file://%1$s/a.bin", sha256: "%2$s"}
      hosts: all
      steps:
        - {id: up, upload: {artifact: %3$s, dest: "%4$s"}}
        - {id: gate, shell: "test -e %5$s/go"}
      """;

  private String playbook(String artifact, String dest) throws Exception {
    byte[] release = "release\n".getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("a.bin"), release);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(release));
    return PLAYBOOK.formatted(dir, sha, artifact, dest, dir);
  }

  private Cli.Result resumeAfterEditing(String artifact, String dest) throws Exception {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(dir.resolve("pb.yml"), playbook("a", dir + "/one/a.bin"));
    Path state = dir.resolve("state");
    Cli.Result run =
        cli.run(
            "run",
            dir.resolve("pb.yml").toString(),
            "-i",
            dir.resolve("inv.yml").toString(),
            "--state-dir",
            state.toString());
    assertEquals(3, run.exitCode(), "paused at gate: " + run.out() + run.err());
    assertTrue(Files.exists(dir.resolve("one/a.bin")));
    Files.writeString(dir.resolve("go"), "");
    Files.writeString(dir.resolve("pb.yml"), playbook(artifact, dest));
    return cli.run("resume", run.runId(), "--state-dir", state.toString());
  }

  @Test
  void editingAnUploadsDestIsNoticedOnResume() throws Exception {
    // given a run whose upload succeeded, when its dest is edited and the run resumed
    Cli.Result resume = resumeAfterEditing("a", dir + "/two/a.bin");
    // then resume refuses, as for an edited command
    assertEquals(2, resume.exitCode(), resume.out() + resume.err());
    assertTrue(
        resume.err().contains("step 'up' already succeeded on h1 with its old definition"),
        resume.err());
    assertTrue(resume.err().contains("--rerun-step up"), resume.err());
    assertTrue(!Files.exists(dir.resolve("two/a.bin")), "nothing was uploaded");
  }

  @Test
  void editingAnUploadsArtifactIsNoticedOnResume() throws Exception {
    Cli.Result resume = resumeAfterEditing("b", dir + "/one/a.bin");
    assertEquals(2, resume.exitCode(), resume.out() + resume.err());
    assertTrue(resume.err().contains("step 'up' already succeeded"), resume.err());
  }

  @Test
  void anUnchangedUploadResumes() throws Exception {
    Cli.Result resume = resumeAfterEditing("a", dir + "/one/a.bin");
    assertEquals(0, resume.exitCode(), resume.out() + resume.err());
  }
}
