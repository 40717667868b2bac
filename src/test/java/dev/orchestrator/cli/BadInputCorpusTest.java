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
import java.util.Map;
import java.util.TreeMap;
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
    // byte for byte: some cases are not UTF-8
    Files.write(playbook, bytes(c.resolve("playbook.yml"), PLAYBOOK));
    Files.write(inventory, bytes(c.resolve("inventory.yml"), INVENTORY));
    try (Stream<Path> extra = Files.walk(c)) {
      for (Path f : extra.skip(1).toList()) {
        String name = c.relativize(f).toString();
        if (!List.of("playbook.yml", "inventory.yml", "args", "expect").contains(name)) {
          // other files (e.g. a key, group_vars/) are copied as a user would have them: readable
          Files.copy(f, dir.resolve(name));
          Files.setPosixFilePermissions(
              dir.resolve(name),
              java.nio.file.attribute.PosixFilePermissions.fromString(
                  Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    Map<String, String> before = snapshot(dir);
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
    assertEquals(before, snapshot(dir), "nothing written, changed or deleted beside the inputs");
  }

  private static String read(Path file, String fallback) throws IOException {
    return Files.exists(file) ? Files.readString(file) : fallback;
  }

  private static byte[] bytes(Path file, String fallback) throws IOException {
    return Files.exists(file)
        ? Files.readAllBytes(file)
        : fallback.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Every path under {@code dir} with its size and modification time. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        out.put(
            dir.relativize(p).toString(),
            Files.isDirectory(p)
                ? "dir"
                : Files.size(p) + " bytes, modified " + Files.getLastModifiedTime(p));
      }
    }
    return out;
  }

  /**
   * The bad inputs too large to keep as files, written here by families: nesting (20,000 levels
   * overflowed the parser's stack), alias bombs ("billion laughs") and huge files. Each is checked
   * as a corpus case.
   */
  @TestFactory
  Stream<DynamicTest> generatedBadInputsAreRejectedClearly() throws IOException {
    Map<String, Map<String, String>> cases = new TreeMap<>();
    String steps = "steps:\n  - id: a\n    shell: echo a\n";
    int deep = 20_000;
    cases.put(
        "depth-01-flow-sequences-in-playbook",
        Map.of(
            "playbook.yml",
            "vars:\n  x: " + "[".repeat(deep) + "]".repeat(deep) + "\n" + steps,
            "expect",
            // the top-level mapping and 'vars:' are two levels: the 99th '[' is one too many
            "playbook.yml:2:104: the playbook nests mappings and lists more than 100 levels deep"));
    StringBuilder block = new StringBuilder("vars:\n");
    for (int i = 1; i <= 300; i++) {
      block.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    block.append("  ".repeat(301)).append("v: 1\n").append(steps);
    cases.put(
        "depth-02-block-mappings-in-playbook",
        Map.of(
            "playbook.yml",
            block.toString(),
            "expect",
            "playbook.yml:101:201: the playbook nests mappings and lists more than 100 levels"));
    cases.put(
        "depth-03-flow-mappings-in-inventory",
        Map.of(
            "inventory.yml",
            "all:\n  vars:\n    x: "
                + "{a: ".repeat(deep)
                + "1"
                + "}".repeat(deep)
                + "\n"
                + "  hosts:\n    h1:\n      connection: local\n",
            "expect",
            "inventory.yml:3:396: the inventory nests mappings and lists more than 100 levels deep"));
    cases.put(
        "depth-04-vars-file",
        Map.of(
            "vars.yml",
            "x: " + "[".repeat(deep) + "]".repeat(deep) + "\n",
            "args",
            "run {playbook} -i {inventory} --state-dir {state} --vars-file {dir}/vars.yml",
            "expect",
            "vars.yml:1:103: the vars file nests"));
    StringBuilder chain = new StringBuilder("vars:\n");
    for (int i = 0; i < 4; i++) {
      chain
          .append("  a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" ")
          .append("[".repeat(40))
          .append(i == 0 ? "1" : "*a" + (i - 1))
          .append("]".repeat(40))
          .append("\n");
    }
    cases.put(
        "depth-05-deeper-through-aliases-than-in-the-text",
        Map.of(
            "playbook.yml",
            chain + steps,
            "expect",
            "through aliases, the playbook nests more than 100 levels deep"));
    StringBuilder laughs =
        new StringBuilder("vars:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
      laughs.append("  l").append(i).append(": &l").append(i).append(" [");
      laughs.append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (i - 1))));
      laughs.append("]\n");
    }
    cases.put(
        "aliases-01-billion-laughs-in-playbook",
        Map.of(
            "playbook.yml",
            laughs + steps,
            "expect",
            // the 51st alias to a list: the 6th on line 8 (9 a line from line 3)
            "playbook.yml:8:37: the playbook has more than 50 aliases (*name) to mappings and"
                + " lists"));
    StringBuilder doubling = new StringBuilder("  d0: &d0 [lol, lol]\n");
    for (int i = 1; i <= 24; i++) {
      doubling.append("  d").append(i).append(": &d").append(i);
      doubling.append(" [*d").append(i - 1).append(", *d").append(i - 1).append("]\n");
    }
    cases.put(
        "aliases-02-doubling-chain-in-playbook",
        Map.of(
            "playbook.yml",
            "vars:\n" + doubling + steps,
            "expect",
            "playbook.yml:1:1: the playbook's aliases (*name) expand it to more than 200000"));
    cases.put(
        "aliases-03-doubling-chain-in-inventory",
        Map.of(
            "inventory.yml",
            "all:\n  vars:\n"
                + doubling.toString().replace("  d", "    d")
                + "  hosts:\n    h1:\n      connection: local\n",
            "expect",
            "the inventory's aliases (*name) expand it to more than 200000"));
    cases.put(
        "aliases-04-recursive",
        Map.of(
            "playbook.yml",
            "vars:\n  a: &a [1, *a]\n" + steps,
            "expect",
            "playbook.yml:2:6: an alias refers to the collection it is in"));
    String mib9 = "x".repeat(9 << 20);
    cases.put(
        "huge-01-playbook",
        Map.of("playbook.yml", steps + "# " + mib9 + "\n", "expect", "is larger than 8 MiB"));
    cases.put(
        "huge-02-inventory",
        Map.of("inventory.yml", INVENTORY + "# " + mib9 + "\n", "expect", "is larger than 8 MiB"));
    cases.put(
        "huge-03-one-scalar",
        Map.of(
            "playbook.yml",
            steps + "vars:\n  x: " + mib9 + "\n",
            "expect",
            "playbook.yml is larger than 8 MiB"));
    cases.put(
        "huge-04-vars-file",
        Map.of(
            "vars.yml",
            "x: " + mib9 + "\n",
            "args",
            "run {playbook} -i {inventory} --state-dir {state} --vars-file {dir}/vars.yml",
            "expect",
            "vars.yml is larger than 8 MiB"));
    Path generated = Files.createDirectories(work.resolve("generated-cases"));
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : cases.entrySet()) {
      Path c = Files.createDirectories(generated.resolve(e.getKey()));
      for (Map.Entry<String, String> f : e.getValue().entrySet()) {
        Files.writeString(c.resolve(f.getKey()), f.getValue());
      }
      tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(c)));
    }
    return tests.stream();
  }
}
