package dev.orchestrator.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Names never become paths unencoded: whatever a host name, step id or run id holds, its segment is
 * one safe file name inside its folder, and different names get different segments.
 */
class FileNamesTest {
  private static Path dir;

  @BeforeContainer
  static void makeDir() throws IOException {
    dir = Files.createTempDirectory("filenames");
  }

  @AfterContainer
  static void removeDir() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** Hostile names: separators, dots, NUL, control characters, '%', '~', any UTF-16 unit. */
  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> hostile =
        Arbitraries.strings()
            .withChars('/', '\\', '.', '\0', '\n', '%', '~', ' ', '*', '$', 'a', 'Z', '0', '-')
            .withCharRange('\u0000', '\uffff')
            .ofMinLength(1)
            .ofMaxLength(300);
    Arbitrary<String> dots = Arbitraries.of(".", "..", "...", "./", "../", "../../../../x", "a/..");
    Arbitrary<String> plain =
        Arbitraries.strings()
            .withChars("abcdefghijklmnopqrstuvwxyz0123456789.-_")
            .ofMinLength(1)
            .ofMaxLength(260);
    return Arbitraries.oneOf(hostile, dots, plain);
  }

  @Property(tries = 2000)
  void aNameBecomesOneSafeSegment(@ForAll("names") String name) {
    String s = FileNames.segment(name);

    assertFalse(s.isEmpty());
    assertTrue(s.length() <= FileNames.MAX_LENGTH, s);
    assertTrue(s.matches("[A-Za-z0-9._%~-]+"), s);
    assertFalse(s.startsWith("."), s);
    Path p = dir.resolve(s);
    assertEquals(dir, p.normalize().getParent(), "one segment inside the folder: " + s);
    assertEquals(1, dir.relativize(p).getNameCount());
  }

  @Property(tries = 300)
  void theSegmentIsAFileRightInsideTheFolder(@ForAll("names") String name) throws IOException {
    Path file = dir.resolve(FileNames.segment(name));
    Files.deleteIfExists(file);

    Files.createFile(file);

    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(
          files.anyMatch(f -> f.getFileName().toString().equals(file.getFileName().toString())));
    }
    Files.delete(file);
  }

  @Property(tries = 2000)
  void shortSegmentsDecodeBackToTheName(@ForAll("names") String name) {
    String s = FileNames.segment(name);

    if (s.contains("~")) {
      assertThrows(IllegalArgumentException.class, () -> FileNames.name(s));
    } else {
      assertEquals(name, FileNames.name(s));
    }
  }

  @Property(tries = 500)
  void differentNamesGetDifferentSegments(
      @ForAll @Size(min = 2, max = 20) @UniqueElements
          List<@net.jqwik.api.From("names") String> names) {
    Set<String> segments = new HashSet<>();
    for (String n : names) {
      segments.add(FileNames.segment(n));
    }

    assertEquals(names.size(), segments.size(), "segments of " + names);
  }

  @Property(tries = 500)
  void namesThatDifferInOneCharacterGetDifferentSegments(
      @ForAll("names") String name, @ForAll char c) {
    String other = name + c;

    assertNotEquals(FileNames.segment(name), FileNames.segment(other));
  }

  @Example
  void ordinaryNamesStayReadable() {
    assertEquals("prod-2", FileNames.segment("prod-2"));
    assertEquals("web01.example.com", FileNames.segment("web01.example.com"));
    assertEquals("upgrade.1.log", FileNames.segment("upgrade.1.log"));
  }

  @Example
  void dotsSlashesAndNulAreEncoded() {
    assertEquals("%2E", FileNames.segment("."));
    assertEquals("%2E.", FileNames.segment(".."));
    assertEquals("%2E.%2F..%2Fx", FileNames.segment("../../x"));
    assertEquals("a%00b", FileNames.segment("a\0b"));
    assertEquals("%25%7E", FileNames.segment("%~"));
  }

  @Example
  void anEmptyNameIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> FileNames.segment(""));
  }
}
