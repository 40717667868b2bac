package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.playbook.FileMode;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile destination names, owners, groups, modes and contents reach the host's shell as data: the
 * file lands at exactly the named path with exactly the bytes, and no value runs (a canary command
 * in a value would create a file next to the destination).
 */
class FileWriteProperties {
  /** Shell metacharacters and the like, as a value would carry them. */
  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.strings()
        .withChars("$`'\"\\;&|<>(){}*?[]~!# \t\n-=%+.,:@^")
        .withCharRange('a', 'c')
        .ofMinLength(1)
        .ofMaxLength(30)
        .map(s -> s + "$(touch canary)`touch canary`';touch canary;'");
  }

  @Property(tries = 40)
  void aHostileFileNameIsWrittenAtExactlyThatPath(@ForAll("hostile") String name) throws Exception {
    Assume.that(!name.contains("/") && !name.equals(".") && !name.equals(".."));
    Path dir = Files.createTempDirectory("fw");
    try (Connection c = FileWriteTest.local(dir)) {
      // given a destination whose name is full of shell syntax
      Path dest = dir.resolve(name);
      // when it is written
      ExecResult r =
          FileWriteTest.write(dest, "x\n", Optional.of("0600"), true).run(c, new HashMap<>());
      // then exactly that file holds the content and nothing ran
      assertTrue(r.succeeded(), r.stderr());
      assertEquals("x\n", Files.readString(dest));
      assertFalse(Files.exists(dir.resolve("canary")));
    } finally {
      delete(dir);
    }
  }

  @Property(tries = 40)
  void hostileOwnersAndGroupsFailWithoutRunning(@ForAll("hostile") String owner) throws Exception {
    Path dir = Files.createTempDirectory("fw");
    try (Connection c = FileWriteTest.local(dir)) {
      // given an owner and group made of shell syntax (no such user)
      Path dest = dir.resolve("f");
      FileWrite w =
          new FileWrite(
              FileWriteTest.step(),
              dest.toString(),
              "x".getBytes(),
              Optional.empty(),
              Optional.of(owner),
              Optional.of(owner),
              false,
              true,
              Optional.empty());
      // when it is written
      ExecResult r = w.run(c, new HashMap<>());
      // then the step fails, no file is left, nothing ran
      assertFalse(r.succeeded());
      assertFalse(Files.exists(dest));
      assertFalse(Files.exists(dir.resolve("canary")));
      try (var files = Files.list(dir)) {
        assertEquals(0, files.count(), "a temporary file was left");
      }
    } finally {
      delete(dir);
    }
  }

  @Property(tries = 60)
  void anyContentArrivesByteForByte(@ForAll byte[] content) throws Exception {
    Path dir = Files.createTempDirectory("fw");
    try (Connection c = FileWriteTest.local(dir)) {
      Path dest = dir.resolve("f");
      FileWrite w =
          new FileWrite(
              FileWriteTest.step(),
              dest.toString(),
              content,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              false,
              true,
              Optional.empty());
      Map<String, Object> registered = new HashMap<>();
      assertTrue(w.run(c, registered).succeeded());
      assertArrayEquals(content, Files.readAllBytes(dest));
      assertEquals((long) content.length, registered.get("size"));
    } finally {
      delete(dir);
    }
  }

  @Property(tries = 300)
  void aModeIsEitherRefusedOrWhatChmodComputes(
      @ForAll("modeTexts") String text, @ForAll("modes") int current) throws Exception {
    FileMode mode;
    try {
      mode = new FileMode(text);
    } catch (IllegalArgumentException refused) {
      return; // never reaches a shell
    }
    Path f = Files.createTempFile("fm", "");
    try {
      Process chmod0 =
          new ProcessBuilder("chmod", String.format("%o", current), f.toString()).start();
      assertEquals(0, chmod0.waitFor());
      Process chmod =
          new ProcessBuilder("chmod", "--", mode.chmodText(), f.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(chmod.getInputStream().readAllBytes());
      assertEquals(0, chmod.waitFor(), out);
      Process stat = new ProcessBuilder("stat", "-c", "%a", f.toString()).start();
      int actual = Integer.parseInt(new String(stat.getInputStream().readAllBytes()).strip(), 8);
      assertEquals(
          Integer.toOctalString(actual),
          Integer.toOctalString(mode.apply(current)),
          text + " on " + Integer.toOctalString(current));
    } finally {
      Files.deleteIfExists(f);
    }
  }

  @Provide
  Arbitrary<Integer> modes() {
    return Arbitraries.integers().between(0, 0777);
  }

  /** Mostly chmod-like text (symbolic clauses, octal digits), some of it anything. */
  @Provide
  Arbitrary<String> modeTexts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("ugoa+-=rwxX,").ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().withChars("01234567").ofMinLength(1).ofMaxLength(5),
        Arbitraries.strings().ofMaxLength(12));
  }

  private static void delete(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
