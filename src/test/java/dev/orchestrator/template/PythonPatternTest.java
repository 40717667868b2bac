package dev.orchestrator.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link PythonPattern} reads Python's syntax where Java's differs and refuses what it cannot
 * translate; each expectation below is what Python 3.11's {@code re} does.
 */
class PythonPatternTest {
  private static String sub(String pattern, String repl, String text, boolean bytes, int flags) {
    PythonPattern p = PythonPattern.compile(pattern, bytes, flags);
    p.checkTemplate(repl);
    Matcher m = p.pattern().matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(p.expand(repl, m)));
    }
    m.appendTail(out);
    return out.toString();
  }

  @Test
  void namedGroupsAndBackreferencesArePythons() {
    // given Python's named groups; when replaced; then as re.sub('(?P<k>\w+)=(?P=k)', ...)
    assertEquals("a!", sub("(?P<k>\\w+)=(?P=k)", "\\g<k>!", "a=a", false, 0));
    assertEquals("x-1", sub("(\\w)=(\\d)", "\\1-\\2", "x=1", false, 0));
  }

  @Test
  void aBraceThatIsNoQuantifierIsLiteralAndCommaNIsZeroToN() {
    // re.sub('x{2', '-', 'x{2') == '-'; re.sub('a{,2}b', '-', 'aaab') == 'a-'
    assertEquals("-", sub("x{2", "-", "x{2", false, 0));
    assertEquals("a-", sub("a{,2}b", "-", "aaab", false, 0));
  }

  @Test
  void multilineCaretMatchesAfterAFinalNewlineAsPythons() {
    // re.sub('^', '>', 'a\n', flags=re.M) == '>a\n>'
    assertEquals(">a\n>", sub("^", ">", "a\n", false, Pattern.MULTILINE));
    assertEquals(">", sub("^$", ">", "", false, Pattern.MULTILINE));
  }

  @Test
  void bytesPatternsHaveAsciiClassesAndWordBoundaries() {
    // given é as UTF-8 bytes; \w and \b are ASCII in a bytes pattern
    String text = PythonPattern.latin1("é=1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(PythonPattern.compile("\\b=", true, 0).pattern().matcher(text).find() == false);
    assertTrue(PythonPattern.compile("^\\W\\W=", true, 0).pattern().matcher(text).find());
    assertTrue(PythonPattern.compile("^\\w=", false, 0).pattern().matcher("é=1").find());
  }

  @Test
  void whatJavaReadsDifferentlyIsRefusedNamingIt() {
    for (String p : new String[] {"\\p{L}", "(?x)a b", "(?(1)a|b)", "a(?i)b", "\\h", "(?m:^a)"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PythonPattern.compile(p, false, 0));
      assertTrue(e.getMessage().contains(p), e.getMessage());
    }
  }

  @Test
  void aReplacementsBadEscapeOrMissingGroupFailsBeforeMatching() {
    PythonPattern p = PythonPattern.compile("a", false, 0);
    assertThrows(IllegalArgumentException.class, () -> p.checkTemplate("\\1"));
    assertThrows(IllegalArgumentException.class, () -> p.checkTemplate("\\q"));
    assertEquals("\\.", sub("a", "\\.", "a", false, 0));
  }
}
