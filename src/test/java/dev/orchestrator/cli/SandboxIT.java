package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's main job: the sandbox fleet updated QA then production. */
class SandboxIT extends SandboxHarness {
  @Test
  void updatesTheFleetQaThenProduction() throws Exception {
    Cli.Result r = sandbox();
    assertEquals(0, r.exitCode(), r.out() + r.err());
    for (String h : List.of("qa-1", "qa-2", "prod-1", "prod-2", "prod-3", "prod-4")) {
      assertTrue(config(h).contains("'version' => '28.0.14.0',"), h);
      assertTrue(config(h).contains("'maintenance' => false,"), h);
      try (var backups = Files.list(dir.resolve("sb/hosts").resolve(h).resolve("backups"))) {
        Path backup = backups.findFirst().orElseThrow();
        assertTrue(
            Files.exists(backup.resolve("code/version.php"))
                && Files.exists(backup.resolve("db.sqlite3")),
            h + " backup");
      }
    }
    assertTrue(r.out().indexOf("== stage qa") < r.out().indexOf("== stage production"), r.out());
  }
}
