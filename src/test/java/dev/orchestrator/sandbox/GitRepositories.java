package dev.orchestrator.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Git repositories for the tests of the {@code git} module, made with the machine's real {@code
 * git}: never one from the internet.
 */
public final class GitRepositories {
  private GitRepositories() {}

  /**
   * Runs git in {@code cwd} (a test's author identity given), returning its output stripped.
   *
   * @throws IOException if git fails
   */
  public static String git(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.email=t@t", "-c", "user.name=t"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("git " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /**
   * Makes the bare repository {@code DIR/origin.git}, pushed from the work tree {@code DIR/work}:
   * branch {@code main} (file {@code f} "one", then "two"; tags {@code v1} light and {@code v2}
   * annotated on the second commit), branch {@code dev} (a third commit, "three").
   *
   * @return the bare repository
   */
  public static Path bare(Path dir) throws IOException, InterruptedException {
    Path work = Files.createDirectories(dir.resolve("work"));
    git(work, "init", "-q", "-b", "main");
    Files.writeString(work.resolve("f"), "one\n");
    git(work, "add", "f");
    git(work, "commit", "-q", "-m", "one");
    Files.writeString(work.resolve("f"), "two\n");
    git(work, "commit", "-q", "-am", "two");
    git(work, "tag", "v1");
    git(work, "tag", "-a", "v2", "-m", "annotated");
    git(work, "checkout", "-q", "-b", "dev");
    Files.writeString(work.resolve("f"), "three\n");
    git(work, "commit", "-q", "-am", "three");
    git(work, "checkout", "-q", "main");
    git(dir, "clone", "-q", "--bare", "work", "origin.git");
    return dir.resolve("origin.git");
  }
}
