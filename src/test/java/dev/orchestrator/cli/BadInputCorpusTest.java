package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of malformed playbook, inventory or argument, from the corpus under {@code
 * src/test/resources/bad-inputs/}: each case is a folder with an optional {@code playbook.yml},
 * {@code inventory.yml} and {@code args} (defaults: a valid one-step playbook, a local host, {@code
 * run}), other files it needs (copied 0644), and an {@code expect} file of message fragments. Each
 * must end with exit code 2, a message that says what and where, a hint, no stack trace, and
 * nothing written to the state store.
 */
class BadInputCorpusTest {
  private static final String PLAYBOOK = "steps:\n  - id: a\n    shell: echo a\n";
  private static final String INVENTORY = "all:\n  hosts:\n    h1:\n      connection: local\n";
  private static final Pattern WORD = Pattern.compile("'([^']*)'|(\\S+)");

  @TempDir Path work;

  @TestFactory
  Stream<DynamicTest> everyBadInputIsRejectedClearly() throws IOException, URISyntaxException {
    Path corpus = Path.of(getClass().getResource("/bad-inputs").toURI());
    List<Path> cases;
    try (Stream<Path> dirs = Files.list(corpus)) {
      cases = dirs.filter(Files::isDirectory).sorted().toList();
    }
    assertTrue(cases.size() >= 50, "the corpus has at least 50 cases, found " + cases.size());
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c)));
  }

  private void check(Path c) throws IOException {
    Path dir = work.resolve(c.getFileName().toString());
    Files.createDirectories(dir);
    Path playbook = dir.resolve("playbook.yml");
    Path inventory = dir.resolve("inventory.yml");
    Path state = dir.resolve("state");
    Files.writeString(playbook, read(c.resolve("playbook.yml"), PLAYBOOK));
    Files.writeString(inventory, read(c.resolve("inventory.yml"), INVENTORY));
    try (Stream<Path> extra = Files.list(c)) {
      for (Path f : extra.toList()) {
        String name = f.getFileName().toString();
        if (!List.of("playbook.yml", "inventory.yml", "args", "expect").contains(name)) {
          // other files (e.g. a key) are copied as a user would have them: readable by all
          Files.copy(f, dir.resolve(name));
          Files.setPosixFilePermissions(
              dir.resolve(name),
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
    String args =
        read(c.resolve("args"), "run {playbook} -i {inventory} --state-dir {state}")
            .strip()
            .replace("{playbook}", playbook.toString())
            .replace("{inventory}", inventory.toString())
            .replace("{state}", state.toString())
            .replace("{dir}", dir.toString());
    List<String> argv = new ArrayList<>();
    Matcher m = WORD.matcher(args);
    while (m.find()) {
      argv.add(m.group(1) != null ? m.group(1) : m.group(2));
    }

    Cli.Result r = Cli.run(argv.toArray(String[]::new));

    assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err() + " stdout: " + r.out());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains("\nhint: "), "a hint says what to do: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    for (String expected : Files.readAllLines(c.resolve("expect"))) {
      if (!expected.isBlank()) {
        assertTrue(
            r.err().contains(expected.replace("{dir}", dir.toString())),
            "expected '" + expected + "' in: " + r.err());
      }
    }
    assertFalse(Files.exists(state), "nothing written to the state store");
  }

  private static String read(Path file, String fallback) throws IOException {
    return Files.exists(file) ? Files.readString(file) : fallback;
  }
}
