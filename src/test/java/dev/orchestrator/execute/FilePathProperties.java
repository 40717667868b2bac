package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The path of {@code file} reaches the host's shell as data: the script {@link
 * FileStateModule#script} builds, run with {@code /bin/sh}, creates exactly the folder named
 * (spaces, newlines, a leading {@code -}, quotes, {@code $(...)}), reports it changed once, then
 * removes exactly it and nothing else, and never runs a name as code.
 */
class FilePathProperties {
  @Provide
  Arbitrary<String> names() {
    return HostileNames.names().filter(n -> !n.contains("/") && !n.equals(".") && !n.equals(".."));
  }

  private static FileStateModule file(String path, String state) {
    return new FileStateModule(
        path,
        Optional.of(state),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        true);
  }

  @Property(tries = 40)
  void aHostilePathIsTheOnePathItNamesAndNothingRuns(@ForAll("names") String name)
      throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a folder name no file has
      Path target = host.home().resolve(name);
      // when the folder is made present twice, then absent twice
      ModuleOutcome made =
          file(name, "directory").outcome(host.run(file(name, "directory").script()));
      boolean exists = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
      ModuleOutcome again =
          file(name, "directory").outcome(host.run(file(name, "directory").script()));
      ModuleOutcome gone = file(name, "absent").outcome(host.run(file(name, "absent").script()));
      ModuleOutcome goneAgain =
          file(name, "absent").outcome(host.run(file(name, "absent").script()));
      // then exactly that folder came and went, each change reported once, and nothing ran
      assertTrue(exists, "not made: " + made.result().stderr());
      assertEquals(true, made.fields().get("changed"));
      assertEquals(false, again.fields().get("changed"));
      assertEquals(true, gone.fields().get("changed"), gone.result().stderr());
      assertEquals(false, goneAgain.fields().get("changed"));
      assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
      assertTrue(Files.isDirectory(host.home().resolve("bin")), "something else was removed");
      assertFalse(host.contains("PWNED"), "a name ran as code: " + name);
    }
  }
}
