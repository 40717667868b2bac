package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password hash of a {@code user} step is a secret: the plan shows it masked, never as is. */
class UserSecretCliTest {
  @TempDir Path dir;

  @Test
  void thePlanMasksTheUsersPassword(@TempDir Path home) throws IOException {
    // given a user step with a password hash
    String hash = "$6$salt$notarealhashbutsecretenough";
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(
        dir.resolve("pb.yml"),
        "steps:\n  - id: deploy-user\n    user: {name: deploy, password: '" + hash + "'}\n");
    // when it is planned
    Cli.Result plan =
        Cli.withLocalHome(home)
            .run("plan", dir.resolve("pb.yml").toString(), "-i", dir.resolve("inv.yml").toString());
    // then the plan names the step and masks the hash
    assertEquals(0, plan.exitCode(), plan.out() + plan.err());
    assertTrue(plan.out().contains("deploy-user"), plan.out());
    assertFalse((plan.out() + plan.err()).contains(hash), plan.out());
  }
}
