package dev.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every class with tests is run: surefire picks unit tests and properties by name ({@code *Test},
 * {@code *Properties}, as pom.xml lists), failsafe integration tests ({@code *IT}). A property
 * class named otherwise never ran in CI until this check (found in issue 16).
 */
class TestNamingTest {
  static final Pattern RUN =
      Pattern.compile("(Test.*|.*Test|.*Tests|.*TestCase|.*Properties|IT.*|.*IT|.*ITCase)");
  static final Pattern HAS_TESTS =
      Pattern.compile("@(Test|Property|ParameterizedTest|Example|RepeatedTest)\\b");
  static final Pattern CONTRACT = Pattern.compile("\\b(abstract class|interface)\\b");

  @Test
  void everyClassWithTestsHasANameTheBuildRuns() throws IOException {
    List<String> missed;
    try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
      missed =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(
                  f -> {
                    try {
                      String text = Files.readString(f);
                      return HAS_TESTS.matcher(text).find() && !CONTRACT.matcher(text).find();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .map(f -> f.getFileName().toString().replace(".java", ""))
              .filter(n -> !RUN.matcher(n).matches())
              .sorted()
              .toList();
    }
    assertEquals(List.of(), missed, "rename them, or add their pattern to pom.xml's includes");
  }
}
