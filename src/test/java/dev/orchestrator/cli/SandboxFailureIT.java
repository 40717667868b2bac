package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The README's failure demo: an injected failure pauses the sandbox run, and resume finishes it.
 */
class SandboxFailureIT extends SandboxHarness {
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
