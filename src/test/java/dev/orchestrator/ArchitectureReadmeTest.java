package dev.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Architecture" section stays true of the code (issue 23: it omitted {@code
 * state.postgres}, shared runs, {@code artifact}, INI inventories and the console): every package
 * of the product is described there, and every type it names exists, so that a renamed or removed
 * class fails here instead of leaving the next maintainer a map of code that is gone.
 */
class ArchitectureReadmeTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Path ROOT = MAIN.resolve("dev/orchestrator");

  /** Names in the section that are products or tests, not classes of the product. */
  private static final Set<String> NOT_CLASSES =
      Set.of(
          "ArchUnit", "ArchitectureTest", "HikariCP", "PostgreSQL", "PyYAML", "StateStoreContract");

  private static final Pattern TYPE_NAME =
      Pattern.compile("\\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\\b");
  private static final Pattern DECLARED =
      Pattern.compile("\\b(?:class|record|interface|enum)\\s+([A-Z]\\w*)");

  @Test
  void everyPackageIsDescribed() throws IOException {
    // given the section, and the product's packages
    String section = section();
    Set<String> missing = new TreeSet<>();
    try (Stream<Path> dirs = Files.walk(ROOT)) {
      for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.equals(ROOT)).toList()) {
        String name = ROOT.relativize(dir).toString().replace('/', '.');
        // when looked up as the first word of a line of the package list, or in backticks
        boolean described =
            Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s").matcher(section).find()
                || section.contains("`" + name + "`");
        if (!described) {
          missing.add(name);
        }
      }
    }
    // then each is there
    assertEquals(Set.of(), missing, "packages the README's Architecture does not describe");
  }

  @Test
  void everyTypeItNamesExists() throws IOException {
    // given the type names the section uses, and the types the product declares
    Set<String> declared = new TreeSet<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = DECLARED.matcher(Files.readString(file));
        while (m.find()) {
          declared.add(m.group(1));
        }
      }
    }
    Set<String> named = new TreeSet<>();
    Matcher m = TYPE_NAME.matcher(section());
    while (m.find()) {
      named.add(m.group());
    }
    assertTrue(named.size() > 40, "the section names the classes a run goes through: " + named);

    // when compared, then every name is a type of the product
    named.removeAll(declared);
    named.removeAll(NOT_CLASSES);
    assertEquals(Set.of(), named, "types the README's Architecture names that do not exist");
  }

  @Test
  void everyTypeTheDesignNamesExists() throws IOException {
    // given the type names docs/design.md puts in backticks (`Planner`, `plan.Planner`, `X.of()`)
    Set<String> named = new TreeSet<>();
    Matcher code =
        Pattern.compile("`([^`]+)`").matcher(Files.readString(Path.of("docs/design.md")));
    while (code.find()) {
      Matcher m = TYPE_NAME.matcher(code.group(1));
      while (m.find()) {
        named.add(m.group());
      }
    }
    assertTrue(named.size() > 30, "the design names the classes that hold its decisions: " + named);

    // when compared with the product's and the tests' types, then each exists
    named.removeAll(declared(MAIN));
    named.removeAll(declared(Path.of("src/test/java")));
    named.removeAll(NOT_CLASSES);
    assertEquals(Set.of(), named, "types docs/design.md names that do not exist");
  }

  private static Set<String> declared(Path root) throws IOException {
    Set<String> declared = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = DECLARED.matcher(Files.readString(file));
        while (m.find()) {
          declared.add(m.group(1));
        }
      }
    }
    return declared;
  }

  private static String section() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("\n## Architecture");
    int end = readme.indexOf("\n## ", start + 1);
    assertTrue(start >= 0 && end > start, "README.md has an Architecture section");
    return readme.substring(start, end);
  }
}
