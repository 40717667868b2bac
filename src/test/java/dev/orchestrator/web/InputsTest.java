package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.ErrorKind;
import dev.orchestrator.common.InputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A person's comment reaches records and terminals without control characters; an action's body
 * binds to its record, and anything else in it is refused by name.
 */
class InputsTest {
  private static String comment(String text) {
    return Inputs.comment(text);
  }

  @Test
  void controlCharactersBecomeSpacesAndLongCommentsAreCut() {
    assertEquals("ok   [2J", comment("ok\r\n\u001b[2J"));
    assertEquals("a b", comment("a\u0007b"));
    assertEquals("fine", comment("  fine\n"));
    assertEquals("x y", comment("x\u2028y"));
    assertEquals(Inputs.MAX_COMMENT, comment("c".repeat(5000)).length());
    assertEquals("", Inputs.comment(""));
  }

  @Test
  void eachBodyBindsItsFieldsAndDefaultsTheOthers() {
    assertEquals(new Bodies.Abort(true), Inputs.bind("{\"rollback\": true}", Bodies.Abort.class));
    assertEquals(new Bodies.Abort(false), Inputs.bind("{}", Bodies.Abort.class));
    assertEquals(
        new Bodies.Approve("ok", "production", true),
        Inputs.bind(
            "{\"comment\":\"ok\",\"stage\":\"production\",\"no_resume\":true}",
            Bodies.Approve.class));
    assertEquals(new Bodies.Approve("", "", false), Inputs.bind("{}", Bodies.Approve.class));
    assertEquals(new Bodies.Reject("no"), Inputs.bind("{\"comment\":\"no\"}", Bodies.Reject.class));
    assertEquals(
        new Bodies.Resume(true, "skip", "upgrade", "web-1", List.of("a")),
        Inputs.bind(
            "{\"retry_failed\":true,\"decision\":\"skip\",\"step\":\"upgrade\",\"host\":\"web-1\","
                + "\"rerun_steps\":[\"a\"]}",
            Bodies.Resume.class));
    assertEquals(
        new Bodies.Resume(false, "", "", "", List.of()),
        Inputs.bind("{\"rerun_steps\": null}", Bodies.Resume.class));
  }

  @Test
  void aMisspeltFieldIsRefusedNamingItAndTheAcceptedOnes() {
    // given each action's body with one field misspelt
    Map<Class<? extends Record>, String> misspelt =
        Map.of(
            Bodies.Abort.class, "{\"rollbak\": true}",
            Bodies.Approve.class, "{\"coment\": \"ok\"}",
            Bodies.Reject.class, "{\"reason\": \"no\"}",
            Bodies.Resume.class, "{\"retry_faild\": true}");
    Map<Class<? extends Record>, String> accepted =
        Map.of(
            Bodies.Abort.class, "rollback",
            Bodies.Approve.class, "comment, stage, no_resume",
            Bodies.Reject.class, "comment",
            Bodies.Resume.class, "retry_failed, decision, step, host, rerun_steps");
    misspelt.forEach(
        (type, body) -> {
          // when it is bound
          InputException e = assertThrows(InputException.class, () -> Inputs.bind(body, type));
          // then it is a 400 naming the field and the fields the call takes
          String field = body.substring(2, body.indexOf('"', 2));
          assertEquals(ErrorKind.INVALID_INPUT, e.kind());
          assertEquals("unknown field '" + field + "' in the body", e.getMessage());
          assertEquals("this call takes " + accepted.get(type), e.hint());
        });
  }

  @Test
  void aFieldOfTheWrongTypeIsRefusedNamingWhatItMustBe() {
    for (String[] c :
        new String[][] {
          {"{\"rollback\": \"true\"}", "field 'rollback' must be true or false"},
          {"{\"rollback\": 1}", "field 'rollback' must be true or false"},
          {"{\"rollback\": {}}", "field 'rollback' must be true or false"},
        }) {
      InputException e =
          assertThrows(InputException.class, () -> Inputs.bind(c[0], Bodies.Abort.class), c[0]);
      assertEquals(c[1], e.getMessage(), c[0]);
      assertTrue(e.hint().contains("this call takes rollback"), e.hint());
    }
    for (String[] c :
        new String[][] {
          {"{\"step\": 1}", "field 'step' must be a string"},
          {"{\"step\": true}", "field 'step' must be a string"},
          {"{\"rerun_steps\": \"upgrade\"}", "field 'rerun_steps' must be a list of strings"},
          {"{\"rerun_steps\": [{}]}", "field 'rerun_steps' must be a list of strings"},
        }) {
      InputException e =
          assertThrows(InputException.class, () -> Inputs.bind(c[0], Bodies.Resume.class), c[0]);
      assertEquals(c[1], e.getMessage(), c[0]);
    }
  }

  @Test
  void aBodyThatIsNotOneJsonObjectIsRefused() {
    for (String body :
        List.of(
            "[]",
            "true",
            "null",
            "{\"rollback\": true",
            "{} {}",
            "{\"rollback\":true,\"rollback\":false}")) {
      InputException e =
          assertThrows(InputException.class, () -> Inputs.bind(body, Bodies.Abort.class), body);
      assertTrue(e.hint().contains("rollback"), body + ": " + e.hint());
    }
  }

  @Test
  void aLongUnknownFieldIsNotEchoedInFull() {
    String name = "x".repeat(5000);
    InputException e =
        assertThrows(
            InputException.class, () -> Inputs.bind("{\"" + name + "\": 1}", Bodies.Abort.class));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    assertTrue(e.getMessage().contains("(5000 characters)"), e.getMessage());
  }
}
