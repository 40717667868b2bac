package dev.orchestrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about how the CLI was started (set by the {@code ./orchestrator} launcher script). */
final class Launcher {
  private Launcher() {}

  /** The command the user typed to start us, e.g. {@code ./orchestrator}, for "next:" hints. */
  static String command() {
    return System.getProperty("orchestrator.command", "orchestrator");
  }

  /**
   * Resolves a file shipped with orchestrator (e.g. {@code playbooks/nextcloud-update.yml}): as
   * given when it exists, else under the installation folder ({@code orchestrator.home}).
   */
  static Path shipped(Path relative) {
    if (Files.exists(relative) || relative.isAbsolute()) {
      return relative;
    }
    String home = System.getProperty("orchestrator.home");
    return home == null ? relative : Path.of(home).resolve(relative);
  }
}
