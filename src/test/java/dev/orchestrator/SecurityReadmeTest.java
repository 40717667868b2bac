package dev.orchestrator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Security: what is guaranteed" section is backed by tests (issue 22, "each sentence
 * of it is backed by a named test"): every row of its table names at least one test, and every test
 * it names exists: a test class under {@code src/test/java} and, for {@code Class.method}, a method
 * of that name in it. A renamed or deleted test fails here instead of leaving a promise unbacked.
 */
class SecurityReadmeTest {
  private static final Path README = Path.of("README.md");
  private static final Path TESTS = Path.of("src/test/java");
  private static final Pattern NAMED =
      Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT|Properties))(?:\\.([a-z][A-Za-z0-9]*))?`");

  @Test
  void everyGuaranteeNamesTestsThatExist() throws IOException {
    // given the section's table rows
    List<String> rows = guaranteeRows();
    assertTrue(rows.size() >= 10, "the section lists its guarantees in a table: " + rows.size());
    Map<String, Path> classes = testClasses();
    List<String> problems = new ArrayList<>();
    for (String row : rows) {
      // when the tests a row names are looked up
      Matcher m = NAMED.matcher(row.substring(row.lastIndexOf("| ", row.length() - 2)));
      int named = 0;
      while (m.find()) {
        named++;
        Path file = classes.get(m.group(1));
        if (file == null) {
          problems.add("no test class " + m.group(1));
        } else if (m.group(2) != null
            && !Pattern.compile("\\bvoid " + m.group(2) + "\\(")
                .matcher(Files.readString(file))
                .find()) {
          problems.add("no test method " + m.group(1) + "." + m.group(2));
        }
      }
      if (named == 0) {
        problems.add("a guarantee names no test: " + row);
      }
    }
    // then each exists
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  private static List<String> guaranteeRows() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf("## Security: what is guaranteed");
    assertFalse(start < 0, "README has the section");
    List<String> rows = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (line.startsWith("| ") && !line.startsWith("| guarantee")) {
        rows.add(line);
      }
    }
    return rows;
  }

  private static Map<String, Path> testClasses() throws IOException {
    try (Stream<Path> files = Files.walk(TESTS)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .collect(
              Collectors.toMap(
                  p -> p.getFileName().toString().replace(".java", ""), p -> p, (a, b) -> a));
    }
  }
}
