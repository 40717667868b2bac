package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What {@code git}'s arguments carry reaches the host's shell and git as data: the script {@link
 * GitModule#script} builds, run with {@code /bin/sh} (dash) and the real {@code git}, never creates
 * the {@code PWNED} file a hostile repository, destination, version or key file tries to create,
 * never writes outside the destination it names, and a version git would take for an option is
 * refused before anything runs.
 */
class GitValueProperties {
  private static Path dir;
  private static Path origin;

  @BeforeContainer
  static void repository() throws Exception {
    dir = Files.createTempDirectory("git-props");
    origin = dev.orchestrator.sandbox.GitRepositories.bare(dir);
  }

  @AfterContainer
  static void remove() throws Exception {
    try (var all = Files.walk(dir)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<String> values() {
    return HostileNames.names();
  }

  @Property(tries = 30)
  void aHostileVersionIsAVersionGitDoesNotKnowOrRefused(@ForAll("values") String version)
      throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a version that tries to run code
      GitModule m;
      try {
        m =
            new GitModule(
                origin.toString(), "co", version, "origin", false, 0, true, true, "no", "", true);
      } catch (IllegalArgumentException refused) {
        // then either it is refused before anything runs (an option, a control character)
        assertTrue(version.startsWith("-") || version.chars().anyMatch(c -> c < 0x20), version);
        return;
      }
      // when it is cloned at that version
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then nothing ran as code, and only the destination was written
      assertFalse(host.contains("PWNED"), "a version ran as code: " + version);
      try (var files = Files.list(host.home())) {
        assertTrue(
            files.allMatch(f -> f.getFileName().toString().matches("bin|co")),
            "written outside dest");
      }
      if (!o.result().succeeded()) {
        assertTrue(
            String.valueOf(o.fields().get("msg")).startsWith("Failed to checkout"),
            o.fields().toString());
      }
    }
  }

  @Property(tries = 30)
  void aHostileRepositoryDestinationOrKeyFileIsOnlyData(
      @ForAll("values") String repo, @ForAll("values") String dest, @ForAll("values") String key)
      throws Exception {
    try (StandInHost host = StandInHost.with()) {
      // given a repository, a destination inside a folder of its own, and a key file that try to
      // run code (a clone over ssh would run the ssh command with the key)
      String d = "sub/" + dest.replace("/", "_");
      GitModule m =
          new GitModule(
              "host:" + repo, d, "HEAD", "origin", false, 0, true, true, "yes", key, true);
      // when it is cloned
      ModuleOutcome o = m.outcome(host.run(m.script()));
      // then nothing ran as code, and the clone failed as git's own failure
      assertFalse(host.contains("PWNED"), "a value ran as code: " + repo + " " + dest + " " + key);
      assertEquals(false, o.fields().get("changed"), o.fields().toString());
      assertFalse(o.result().succeeded());
    }
  }
}
