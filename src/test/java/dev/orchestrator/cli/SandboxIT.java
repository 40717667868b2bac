package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job: the sandbox fleet updated QA then production, and the failure demo. */
class SandboxIT {
  @TempDir Path dir;

  private Cli.Result sandbox(String... args) {
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

  private String config(String host) throws Exception {
    return Files.readString(
        dir.resolve("sb/hosts").resolve(host).resolve("nextcloud/config/config.php"));
  }

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

  @Test
  void anInjectedFailurePausesAndResumeFinishes() throws Exception {
    Cli.Result first = sandbox("--fail-host", "prod-2");
    assertEquals(3, first.exitCode(), first.out() + first.err());
    assertTrue(first.out().contains("[prod-2] FAILED   upgrade"), first.out());
    assertTrue(
        config("prod-2").contains("'version' => '27.1.11.0',")
            && config("prod-2").contains("'maintenance' => false,"),
        "the failed host was rolled back (rollback_on_failure)");
    assertTrue(
        config("prod-4").contains("'version' => '27.1.11.0',"), "the last batch did not start");
    String next = first.out().lines().filter(l -> l.startsWith("next: ")).findFirst().orElseThrow();
    String runId = next.replaceAll(".*--resume (\\S+).*", "$1");

    Cli.Result stillBroken = sandbox("--resume", runId);
    assertEquals(3, stillBroken.exitCode(), "the cause is still there");

    Files.delete(dir.resolve("sb/hosts/prod-2/nextcloud/data/.sandbox-fail-upgrade"));
    Cli.Result resumed = sandbox("--resume", runId);
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertTrue(config("prod-2").contains("'version' => '28.0.14.0',"));
    assertTrue(config("prod-4").contains("'version' => '28.0.14.0',"));
    assertTrue(!resumed.out().contains("[prod-1] ok"), "finished hosts are not touched again");
  }
}
