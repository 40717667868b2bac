package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.common.Secrets;
import dev.orchestrator.rollout.ApprovalPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -K}'s password ({@link VarsInput#becomePassword}) is {@code ansible_become_password} where
 * no {@code -e} or secrets file sets one, and never part of a record's text.
 */
class BecomePasswordInputTest {
  @TempDir Path dir;

  private final Orchestrator service = new Orchestrator(Path.of(System.getProperty("user.home")));

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(dir.resolve("pb.yml"), "steps:\n  - {id: s, shell: \"true\"}\n");
  }

  private Object planned(VarsInput vars) {
    RunRequest request =
        new RunRequest(
            dir.resolve("pb.yml"),
            List.of(dir.resolve("inv.yml")),
            Optional.empty(),
            vars,
            Selection.all(),
            ConnectionSettings.none(),
            1,
            StateLocation.folder(dir.resolve("state")),
            false,
            ApprovalPolicy.WAIT_FOR_PERSON,
            TestHints.PLAIN);
    return service
        .plan(new PlanRequest(request, Optional.empty(), false))
        .plan()
        .hosts()
        .findFirst()
        .orElseThrow()
        .vars()
        .get(VarsInput.BECOME_PASSWORD);
  }

  @Test
  void theTypedPasswordIsTheBecomePasswordUnlessAVariableSetsIt() {
    // given a typed password
    Optional<String> typed = Optional.of("typed-pw");
    // when the service plans with it alone, then with -e setting the variable
    Object alone = planned(new VarsInput(List.of(), List.of(), List.of(), typed));
    Object withE =
        planned(
            new VarsInput(List.of("ansible_become_password=from-e"), List.of(), List.of(), typed));
    // then the typed one is the variable, and -e wins over it
    assertEquals("typed-pw", alone);
    assertEquals("from-e", withE);
  }

  @Test
  void theRecordsTextMasksIt() {
    // when the input is printed
    String text =
        new VarsInput(List.of(), List.of(), List.of(), Optional.of("typed-pw")).toString();
    // then masked
    assertFalse(text.contains("typed-pw"), text);
    assertEquals(true, text.contains(Secrets.MASK), text);
  }
}
