package dev.orchestrator.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler keywords: handlers, notify, listen, meta: flush_handlers (README "Handlers"). */
class HandlerKeysTest {
  @TempDir Path dir;

  private Playbook load(String yaml) throws IOException {
    Path file = dir.resolve("pb.yml");
    Files.writeString(file, yaml);
    return new PlaybookLoader().load(file);
  }

  private InputException error(String yaml) {
    return assertThrows(InputException.class, () -> load(yaml));
  }

  @Test
  void readsHandlersNotifyListenAndFlushSteps() throws IOException {
    // given
    Playbook pb =
        load(
            """
            steps:
              - {id: a, shell: "true", notify: restart web}
              - meta: flush_handlers
              - {id: b, shell: "true", notify: [restart web, configs]}
            handlers:
              - {id: restart, name: restart web, shell: "true"}
              - {id: reload, shell: "true", listen: [configs]}
            """);
    // then
    assertEquals(List.of("restart web"), pb.steps().get(0).extras().notifies());
    assertEquals("flush-handlers-1", pb.steps().get(1).id());
    assertTrue(pb.steps().get(1).extras().flushHandlers());
    assertEquals(List.of("restart", "reload"), pb.handlers().stream().map(Step::id).toList());
    assertTrue(pb.handlers().get(0).extras().handler());
    assertEquals(List.of("configs"), pb.handlers().get(1).extras().listen());
    assertTrue(Handlers.notifies(pb.steps().get(2), pb.handlers().get(1)), "by its topic");
    assertEquals("restart.mid", Handlers.runId("restart", java.util.Optional.of("mid")));
  }

  @Test
  void aStepWithoutHandlerKeysKeepsItsHash() throws IOException {
    Playbook pb = load("steps:\n  - {id: a, shell: \"true\"}\n");
    assertEquals(StepExtras.NONE, pb.steps().get(0).extras());
  }

  @Test
  void anUnknownHandlerIsAnErrorWithItsPlaceAndTheNearestName() {
    InputException e =
        error(
            """
            steps:
              - id: a
                shell: "true"
                notify:
                  - restart web
                  - restrat web
            handlers:
              - {id: restart, name: restart web, shell: "true"}
            """);
    // (at the step: steps come from roles and step files too)
    assertTrue(e.getMessage().contains("pb.yml:2:5"), e.getMessage());
    assertTrue(e.getMessage().contains("notifies 'restrat web'"), e.getMessage());
    assertTrue(e.hint().contains("did you mean restart web"), e.hint());
  }

  @Test
  void aHandlerMayNotifyOnlyHandlersDefinedAfterIt() {
    InputException e =
        error(
            """
            steps:
              - {id: a, shell: "true", notify: one}
            handlers:
              - {id: one, shell: "true"}
              - {id: two, shell: "true", notify: one}
            """);
    assertTrue(e.getMessage().contains("defined before it"), e.getMessage());
    assertTrue(e.hint().contains("move 'one' after 'two'"), e.hint());
  }

  @Test
  void listenTagsAndFlushOutsideStepsAreRefused() {
    assertTrue(
        error("steps:\n  - {id: a, shell: \"true\", listen: x}\n")
            .getMessage()
            .contains("'listen' is a handler's key"));
    assertTrue(
        error(
                "steps:\n  - {id: a, shell: \"true\", notify: h}\n"
                    + "handlers:\n  - {id: h, shell: \"true\", tags: [x]}\n")
            .getMessage()
            .contains("a handler has no 'tags'"));
    assertTrue(
        error("steps:\n  - {id: a, shell: \"true\"}\n" + "rollback:\n  - meta: flush_handlers\n")
            .getMessage()
            .contains("'meta: flush_handlers' in 'rollback'"));
    assertTrue(
        error("steps:\n  - {id: a, shell: \"true\"}\n  - meta: end_play\n")
            .getMessage()
            .contains("unsupported meta action 'end_play'"));
    assertTrue(
        error(
                "steps:\n  - {id: a, shell: \"true\", deferred: true, notify: h}\n"
                    + "handlers:\n  - {id: h, shell: \"true\"}\n")
            .getMessage()
            .contains("a deferred step cannot notify handlers"));
  }

  @Test
  void handlerIdsAreUniqueAcrossStepsAndHandlers() {
    InputException e =
        error("steps:\n  - {id: a, shell: \"true\"}\nhandlers:\n  - {id: a, shell: \"true\"}\n");
    assertTrue(e.getMessage().contains("duplicate step id 'a'"), e.getMessage());
  }

  @Test
  void aRolesHandlersComeBeforeThePlaybooksAndItsStepsNotifyThem() throws IOException {
    // given a role whose steps notify a handler of its handlers/main.yml
    Files.createDirectories(dir.resolve("roles/web/tasks"));
    Files.createDirectories(dir.resolve("roles/web/handlers"));
    Files.writeString(
        dir.resolve("roles/web/tasks/main.yml"),
        "- {id: conf, shell: 'true', notify: restart web}\n- {id: more, shell: 'true'}\n");
    Files.writeString(
        dir.resolve("roles/web/handlers/main.yml"),
        "- {id: restart, name: restart web, shell: 'true'}\n");
    // when the playbook names the role and a handler of its own
    Playbook pb =
        load(
            """
            roles: [web]
            steps:
              - {id: after, shell: "true", notify: log}
            handlers:
              - {id: log, shell: "true"}
            """);
    // then the role's handler is first, its id prefixed like the role's steps
    assertEquals(List.of("web.restart", "log"), pb.handlers().stream().map(Step::id).toList());
  }

  @Test
  void aRoleStepNotifyingAnUnknownHandlerIsReportedAtItsOwnPlace() throws IOException {
    // given a role step that notifies nothing known, and a playbook with fewer steps than roles
    // (the check used to look the step up among the playbook's own nodes: exit 1, index out of
    // bounds, or the wrong line)
    Files.createDirectories(dir.resolve("roles/web/tasks"));
    Files.writeString(
        dir.resolve("roles/web/tasks/main.yml"),
        "- {id: a, shell: 'true'}\n- {id: b, shell: 'true', notify: nope}\n");
    InputException e = error("roles: [web]\nsteps:\n  - {id: after, shell: 'true'}\n");
    // then the error names the role's file and line
    assertTrue(e.getMessage().contains("roles/web/tasks/main.yml:2"), e.getMessage());
    assertTrue(e.getMessage().contains("notifies 'nope'"), e.getMessage());
  }
}
