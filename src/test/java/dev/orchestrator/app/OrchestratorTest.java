package dev.orchestrator.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.Secrets;
import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.rollout.ApprovalPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application service called directly with plain requests (no command-line types): the
 * variables' precedence is applied once, by the service, and requests validate themselves.
 */
class OrchestratorTest {
  @TempDir Path dir;

  private final Orchestrator service = new Orchestrator(Path.of(System.getProperty("user.home")));

  private static final CommandHints HINTS = TestHints.PLAIN;

  @BeforeEach
  void files() throws IOException {
    Files.writeString(dir.resolve("inv.yml"), "all:\n  hosts:\n    h1: {connection: local}\n");
    Files.writeString(
        dir.resolve("pb.yml"), "vars:\n  a: default\nsteps:\n  - {id: s, shell: \"true\"}\n");
    Files.writeString(dir.resolve("vars.yml"), "a: vars_file\n");
    Files.writeString(dir.resolve("secrets.yml"), "a: secrets_file\n");
  }

  private RunRequest request(VarsInput vars, int forks) {
    return new RunRequest(
        dir.resolve("pb.yml"),
        List.of(dir.resolve("inv.yml")),
        Optional.empty(),
        vars,
        Selection.all(),
        ConnectionSettings.none(),
        forks,
        StateLocation.folder(dir.resolve("state")),
        false,
        ApprovalPolicy.WAIT_FOR_PERSON,
        HINTS);
  }

  private Object planned(VarsInput vars) {
    PlannedHost h1 =
        service
            .plan(new PlanRequest(request(vars, 1), Optional.empty(), false))
            .plan()
            .hosts()
            .findFirst()
            .orElseThrow();
    return h1.vars().get("a");
  }

  @Test
  void variablesTakeTheirPrecedenceInTheService() {
    // given a playbook default, a vars file, a secrets file and -e, each setting 'a'
    List<Path> varsFile = List.of(dir.resolve("vars.yml"));
    List<Path> secretsFile = List.of(dir.resolve("secrets.yml"));
    // when the service plans with more and more of them given
    // then the higher source wins: playbook < vars file < secrets file < -e
    assertEquals("default", planned(VarsInput.none()));
    assertEquals("vars_file", planned(new VarsInput(List.of(), varsFile, List.of())));
    assertEquals("secrets_file", planned(new VarsInput(List.of(), varsFile, secretsFile)));
    assertEquals("e", planned(new VarsInput(List.of("a=e"), varsFile, secretsFile)));
  }

  @Test
  void aRequestWithoutForksIsRefused() {
    // given forks 0; when the request is built; then it says what is wrong and what to write
    InputException e = assertThrows(InputException.class, () -> request(VarsInput.none(), 0));
    assertEquals("--forks must be at least 1, got 0", e.getMessage());
    assertEquals("write e.g. --forks 10", e.hint());
  }

  @Test
  void aMalformedSecretVariableIsNamedMasked() {
    // given an -e without '=' whose text looks secret
    VarsInput vars = new VarsInput(List.of("db_password"), List.of(), List.of());
    // when the service plans
    InputException e =
        assertThrows(
            InputException.class,
            () -> service.plan(new PlanRequest(request(vars, 1), Optional.empty(), false)));
    // then the error names it masked, never as typed
    assertEquals("-e '" + Secrets.MASK + "' is not KEY=VALUE", e.getMessage());
    assertTrue(!e.getMessage().contains("db_password"));
  }

  @Test
  void planningWritesNothing() {
    // given a state folder that does not exist; when a new run is planned
    service.plan(new PlanRequest(request(VarsInput.none(), 1), Optional.empty(), false));
    // then it still does not exist
    assertTrue(Files.notExists(dir.resolve("state")));
  }
}
