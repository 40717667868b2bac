package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** A person's comment reaches records and terminals without control characters. */
class InputsTest {
  private static String comment(String text) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("comment", text);
    return Inputs.comment(body);
  }

  @Test
  void controlCharactersBecomeSpacesAndLongCommentsAreCut() {
    assertEquals("ok   [2J", comment("ok\r\n\u001b[2J"));
    assertEquals("a b", comment("a\u0007b"));
    assertEquals("fine", comment("  fine\n"));
    assertEquals("x y", comment("x\u2028y"));
    assertEquals(Inputs.MAX_COMMENT, comment("c".repeat(5000)).length());
    assertEquals("", Inputs.comment(JsonNodeFactory.instance.objectNode()));
  }
}
