package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Package names and versions reach the host's shell as data: the scripts of {@link AptModule} and
 * {@link RpmModule}, run with {@code /bin/sh} (dash) and the stand-in managers, never create the
 * {@code PWNED} file a name or a version tries to create, and a name the repositories hold is
 * installed by exactly that name.
 */
class PackageNameProperties {
  @Provide
  Arbitrary<String> names() {
    return HostileNames.names()
        .filter(n -> !n.startsWith("-") && n.indexOf('\0') < 0 && !n.isBlank())
        .filter(n -> !n.contains("=") && !n.strip().isEmpty())
        .map(String::strip);
  }

  /** A name the stand-ins' whitespace-separated list can hold, read by awk as written. */
  private static boolean listed(String name) {
    return !name.matches("(?s).*[\\s\\\\].*");
  }

  @Property(tries = 12)
  void anAptNameIsInstalledByThatNameAndNothingElseRuns(@ForAll("names") String name)
      throws Exception {
    try (StandInHost h = AptModuleTest.host(listed(name) ? name + " 1.0 amd64 main\n" : "")) {
      // when apt makes it present
      AptModule m =
          new AptModule(
              new PackageList(List.of(name)), "present", false, 0, false, false, Optional.empty());
      ModuleOutcome o = m.outcome(h.run(m.script()));
      // then nothing ran as code, and a listed name is installed as itself
      assertFalse(h.contains("PWNED"), "a name ran as code: " + name);
      if (listed(name)) {
        assertTrue(o.result().succeeded(), o.result().stderr());
        assertEquals(name + " 1.0 amd64\n", AptModuleTest.installed(h));
      } else {
        assertEquals("No package matching '" + name + "' is available", o.fields().get("msg"));
      }
    }
  }

  @Property(tries = 8)
  void anAptVersionIsAPatternNeverCode(@ForAll("names") String version) throws Exception {
    try (StandInHost h = AptModuleTest.host("app 1.0 amd64 main\n")) {
      AptModule m =
          new AptModule(
              new PackageList(List.of("app=" + version)),
              "present",
              false,
              0,
              false,
              false,
              Optional.empty());
      ModuleOutcome o = m.outcome(h.run(m.script()));
      assertFalse(h.contains("PWNED"), "a version ran as code: " + version);
      assertEquals(version.equals("1.0") || version.equals("*"), o.result().succeeded());
    }
  }

  @Property(tries = 10)
  void aDnfNameAndRepositoryAreDataToo(@ForAll("names") String name) throws Exception {
    try (StandInHost h = StandInHost.with("dnf", "rpm", "standin-pkgdb")) {
      Files.createDirectories(h.home().resolve(".standin-pkg"));
      if (listed(name)) {
        Files.writeString(
            h.home().resolve(".standin-pkg/available"), name + " 1.0-1 noarch base\n");
      }
      RpmModule m =
          new RpmModule(
              "dnf",
              new PackageList(List.of(name)),
              "present",
              false,
              List.of(name),
              List.of(name + "x"),
              false);
      ModuleOutcome o = m.outcome(h.run(m.script()));
      assertFalse(h.contains("PWNED"), "a name ran as code: " + name);
      if (listed(name) && !name.contains(",")) {
        assertEquals(List.of("Installed: " + name + "-1.0-1.noarch"), o.fields().get("results"));
      }
    }
  }
}
