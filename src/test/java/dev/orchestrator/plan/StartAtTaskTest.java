package dev.orchestrator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --start-at-task}'s match rule: equal, or Python's {@code fnmatch} (the expected values are
 * what {@code fnmatch.fnmatchcase(name, pattern)} of Python 3 answers).
 */
class StartAtTaskTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Restart it|Restart*|true",
        "Restart it|restart*|false",
        "a.b|a?b|true",
        "a[b|a[b|true",
        "ab|a[!c]|true",
        "ac|a[!c]|false",
        "a-b|a[x-]b|true",
        "a]|a]|true",
        "web : Restart it|web : *|true",
        "x\\y|x\\y|true",
        "a^b|a[\\^]b|true",
        "(x)|(*)|true",
        "a.c|a[.]c|true",
        "abc|a[.]c|false",
        "Restart it|Restart|false"
      })
  void matchesAsFnmatch(String name, String pattern, boolean expected) {
    // when the name is matched against the pattern
    boolean matched = StartAtTask.matches(name, pattern);
    // then as Python's fnmatch answers
    assertEquals(expected, matched, name + " ~ " + pattern);
  }
}
