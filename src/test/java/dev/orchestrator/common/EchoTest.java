package dev.orchestrator.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** User-supplied text in an error: bounded, quoted, control characters escaped. */
class EchoTest {
  @Test
  void aShortValueIsQuotedWhole() {
    assertEquals("'nope'", Echo.quote("nope"));
    String runId = "a".repeat(128);
    assertEquals("'" + runId + "'", Echo.quote(runId));
    assertEquals("null", Echo.quote(null));
  }

  @Test
  void aLongValueIsNamedByItsStartAndLength() {
    String shown = Echo.quote("x".repeat(5000));
    assertEquals("'" + "x".repeat(Echo.KEPT) + "... (5000 characters)'", shown);
  }

  @Test
  void controlCharactersAreShownEscapedNotSent() {
    assertEquals("'a\\u000aerror: forged'", Echo.quote("a\nerror: forged"));
    assertEquals("'\\u001b[2J'", Echo.quote("\u001b[2J"));
    assertEquals("'x\\u2028y'", Echo.quote("x\u2028y"));
  }

  @Test
  void aSurrogatePairIsNotCutInHalf() {
    String value = "x".repeat(Echo.KEPT - 1) + "\uD83D\uDE00" + "y".repeat(200);
    String shown = Echo.bounded(value);
    assertTrue(shown.startsWith("x".repeat(Echo.KEPT - 1) + "..."), shown);
  }
}
