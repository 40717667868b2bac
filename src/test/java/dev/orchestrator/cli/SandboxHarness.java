package dev.orchestrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sandbox ITs share: {@code orchestrator sandbox} under a temporary folder with its own
 * state folder, and a host's config.php. One test per class ({@link SandboxIT}, {@link
 * SandboxFailureIT}) so that failsafe's two forks run them side by side.
 */
abstract class SandboxHarness {
  @TempDir Path dir;

  Cli.Result sandbox(String... args) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "sandbox",
                "--dir",
                dir.resolve("sb").toString(),
                "--state-dir",
                dir.resolve("state").toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  String config(String host) throws Exception {
    return Files.readString(
        dir.resolve("sb/hosts").resolve(host).resolve("nextcloud/config/config.php"));
  }
}
