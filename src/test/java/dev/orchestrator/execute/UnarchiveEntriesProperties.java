package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever an archive holds, {@code unarchive} ({@link Unarchive#script}, run by {@code /bin/sh}
 * with the real {@code tar}) never writes outside {@code dest}: entries named with {@code ..},
 * {@code /}, hostile text, links to anywhere, entries under links, and a link in {@code dest} to a
 * folder outside. Afterwards the folder next to {@code dest} is empty, nothing new is beside it,
 * every path under {@code dest} resolves inside it, and no value ran as code.
 */
class UnarchiveEntriesProperties {
  /** One entry: 0 file, 1 folder, 2 link; its name; a link's target. */
  record Entry(int kind, String name, String target) {}

  @Provide
  Arbitrary<List<Entry>> entries() {
    Arbitrary<String> part =
        Arbitraries.oneOf(
            Arbitraries.of("..", ".", "a", "b", "escape", "PWNED$(touch PWNED)"),
            HostileNames.names().map(n -> n.replace("/", "_").replace("\0", "_")));
    Arbitrary<String> path =
        part.list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map(p -> String.join("/", p))
            .flatMap(p -> Arbitraries.of(p, "/" + p, "../" + p));
    Arbitrary<Entry> entry =
        Combinators.combine(Arbitraries.integers().between(0, 2), path, path).as(Entry::new);
    return entry.list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 60)
  void nothingIsWrittenOutsideDest(@ForAll("entries") List<Entry> entries) throws Exception {
    Path dir = Files.createTempDirectory("unarchive-prop");
    try (StandInHost host = StandInHost.with()) {
      // given an archive of the entries, and dest holding a link to a folder outside it
      Path outside = Files.createDirectories(dir.resolve("outside"));
      Path dest = Files.createDirectories(dir.resolve("d/dest"));
      Files.createSymbolicLink(dest.resolve("escape"), outside);
      Path archive =
          TestArchives.tgz(
              dir.resolve("x.tgz"),
              a -> {
                for (Entry e : entries) {
                  switch (e.kind()) {
                    case 0 -> a.file(e.name(), "x\n");
                    case 1 -> a.dir(e.name());
                    default -> a.link(e.name(), e.target());
                  }
                }
              });
      // when it is unarchived
      Unarchive u =
          new Unarchive(
              archive.toString(),
              Optional.empty(),
              "",
              dest.toString(),
              "",
              false,
              false,
              List.of(),
              "",
              "",
              "");
      ModuleOutcome o = u.outcome(host.run(u.script()));
      // then nothing is outside dest, and nothing ran as code
      try (Stream<Path> out = Files.list(outside)) {
        assertEquals(0, out.count(), o.toString());
      }
      try (Stream<Path> beside = Files.list(dir.resolve("d"))) {
        assertEquals(List.of(dest), beside.toList(), o.toString());
      }
      assertFalse(host.contains("PWNED"), "a value ran as code");
      Path real = dest.toRealPath();
      try (Stream<Path> all = Files.walk(dest)) {
        for (Path p : all.filter(p -> !Files.isSymbolicLink(p)).toList()) {
          assertTrue(p.toRealPath().startsWith(real), p + " " + o);
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
