package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.template.TemplateEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values rendered from a secret var never reach the plan's refusals (an attack on issue 24's
 * delegation and loops: {@code delegate_to: "{{ db_password }}"} printed the password in "the
 * delegate 'S3cr3tPW' is not a host of the inventory", {@code loop: "{{ db_password }}"} in "'loop'
 * requires a list, got 'S3cr3tPW'").
 */
class SecretsInPlanTest {
  @TempDir Path dir;

  private InputException refused(String steps) throws IOException {
    Files.writeString(
        dir.resolve("inv.yml"),
        "all:\n  hosts:\n    h1: {db_password: S3cr3tPW, lb: lb1}\n    lb1: {}\n");
    Files.writeString(dir.resolve("pb.yml"), "hosts: h1\nsteps:\n" + steps);
    PlanInput inputs =
        PlanInputs.of(
                new PlaybookLoader().load(dir.resolve("pb.yml")),
                InventoryLoader.load(dir.resolve("inv.yml")))
            .build();
    return assertThrows(
        InputException.class,
        () -> new Planner(new TemplateEngine()).plan(inputs).hosts().toList());
  }

  @Test
  void aDelegateRenderedFromASecretIsRefusedWithoutShowingIt() throws IOException {
    for (String t : List.of("{{ db_password }}", "{{ db_password | lower }}-x")) {
      // given a delegate_to that renders a secret, as it is or transformed
      // when planned, then it is refused as no inventory host, and the message hides the value
      InputException e = refused("  - id: d\n    delegate_to: \"" + t + "\"\n    shell: echo\n");
      String text = e.getMessage() + e.hint();
      assertTrue(text.contains("derived from a secret var"), text);
      assertFalse(text.toLowerCase(java.util.Locale.ROOT).contains("s3cr3tpw"), text);
    }
  }

  @Test
  void anUnknownDelegateNotFromASecretIsNamed() throws IOException {
    // given a delegate_to that renders a plain name that is no inventory host
    InputException e = refused("  - id: d\n    delegate_to: \"{{ lb }}x\"\n    shell: echo\n");

    // then the refusal names it
    assertTrue(e.getMessage().contains("'lb1x'"), e.getMessage());
  }

  @Test
  void aLoopOverASecretThatIsNoListIsRefusedWithoutShowingIt() throws IOException {
    // given a loop over a secret string
    InputException e = refused("  - id: l\n    loop: \"{{ db_password }}\"\n    shell: echo\n");

    // then it is refused, saying what it got without the value
    assertTrue(e.getMessage().contains("requires a list"), e.getMessage());
    assertFalse(e.getMessage().contains("S3cr3tPW"), e.getMessage());
  }
}
