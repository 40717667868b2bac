package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The values of {@code wait_for} ({@code host}, {@code path}, {@code search_regex}) and {@code uri}
 * ({@code url}, {@code method}, headers, {@code body}) reach the host's shell as data: the scripts
 * {@link WaitFor#script} and {@link Uri#script} build, run with {@code /bin/sh} (dash) with any
 * value, never create the {@code PWNED} file that a value tries to create, and a path check sees
 * the value as the one path it is.
 */
class ModuleValuesAsDataProperties {
  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> hostile =
        Arbitraries.of(
            "$(touch PWNED)",
            "`touch PWNED`",
            ";touch PWNED",
            "';touch PWNED;'",
            "\";touch PWNED;\"",
            "\ntouch PWNED\n",
            "x && touch PWNED #",
            "-e x --exec touch PWNED",
            "'\"$(touch PWNED)\"';touch PWNED");
    Arbitrary<String> any =
        Arbitraries.strings()
            .withCharRange('\u0001', '\u007f')
            .withCharRange('\u00a0', '\ud7ff')
            .ofMaxLength(40);
    return Arbitraries.oneOf(hostile, any, hostile.flatMap(h -> any.map(a -> a + h + a)));
  }

  @Property(tries = 60)
  void waitForTreatsPathAndPatternAsData(@ForAll("values") String value) throws Exception {
    // given a folder holding a file whose content is the value, and a path that does not exist
    Path dir = Files.createTempDirectory("wf");
    try {
      Path file = dir.resolve("f");
      Files.writeString(file, value.replace("\n", " ") + "\n", StandardCharsets.UTF_8);
      // when wait_for waits for the absent path, and for the value as a pattern... as data
      WaitFor absent =
          new WaitFor(
              "127.0.0.1", 0, dir + "/none/" + value, "absent", "", 0, 5, 1, 1, Optional.empty());
      WaitFor found =
          new WaitFor(value, 0, file.toString(), "present", "", 0, 5, 1, 1, Optional.empty());
      // then both end at once, successfully, and nothing ran
      assertEquals(0, run(absent.script(), dir).exitCode());
      assertEquals(0, run(found.script(), dir).exitCode());
      assertFalse(pwned(dir), "a value ran as code: " + value);
    } finally {
      delete(dir);
    }
  }

  @Property(tries = 30)
  void uriTreatsItsValuesAsData(@ForAll("values") String value) throws Exception {
    // given a request to a closed loopback port carrying the value everywhere it can go
    Path dir = Files.createTempDirectory("uri");
    try {
      Uri uri =
          new Uri(
              "http://127.0.0.1:1/" + value,
              "GET",
              value,
              Map.of("X-V", value.replace("\n", " ").replace("\r", " ")),
              List.of(200),
              false,
              2,
              true);
      // when it runs
      ExecResult result = run(uri.script(), dir);
      // then the request failed for the closed port (or the malformed value), and nothing ran
      ModuleOutcome outcome = uri.outcome(result);
      assertTrue(outcome.fields().get("status") instanceof Integer, outcome.fields().toString());
      assertFalse(pwned(dir), "a value ran as code: " + value);
    } finally {
      delete(dir);
    }
  }

  private static ExecResult run(ShellTemplate script, Path dir) throws Exception {
    String command = CommandBuilder.exports(script.values()) + script.text();
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", dir.toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Path out = Files.createTempFile("out", ".txt");
    pb.redirectOutput(out.toFile());
    Path in = Files.createTempFile("in", ".sh");
    Files.writeString(in, command, StandardCharsets.UTF_8);
    pb.redirectInput(in.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the script did not end: " + command);
      }
      return new ExecResult(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          "",
          Duration.ofNanos(System.nanoTime() - start),
          false);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(in);
    }
  }

  private static boolean pwned(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().equals("PWNED"));
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
