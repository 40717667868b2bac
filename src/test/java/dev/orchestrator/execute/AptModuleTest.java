package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code apt} ({@link AptModule}) on a stand-in host whose {@code apt-get}, {@code apt-cache} and
 * {@code dpkg-query} are those of {@code src/test/resources/standins}: apt.py's {@code changed}
 * rules (a second run changes nothing), versions, {@code latest}, {@code absent} with and without
 * {@code purge}, the cache, and its result keys and messages.
 */
class AptModuleTest {
  static final String[] STANDINS = {"apt-get", "apt-cache", "dpkg-query", "standin-pkgdb"};

  static StandInHost host(String available) throws Exception {
    StandInHost h = StandInHost.with(STANDINS);
    Path db = Files.createDirectories(h.home().resolve(".standin-pkg"));
    Files.writeString(db.resolve("available"), available);
    return h;
  }

  static String installed(StandInHost h) throws Exception {
    Path f = h.home().resolve(".standin-pkg/installed");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  private static AptModule apt(String state, String... names) {
    return new AptModule(
        new PackageList(List.of(names)), state, false, 0, false, false, Optional.empty());
  }

  private static ModuleOutcome run(StandInHost h, AptModule m) throws Exception {
    return m.outcome(h.run(m.script()));
  }

  @Test
  void presentInstallsOnceAndASecondRunChangesNothing() throws Exception {
    try (StandInHost h = host("nginx 1.22-1 amd64 bookworm\ncurl 7.88-1 amd64 bookworm\n")) {
      // given two packages not installed
      AptModule m = apt("present", "nginx", "curl");
      // when they are made present twice
      ModuleOutcome first = run(h, m);
      ModuleOutcome second = run(h, m);
      // then the first installs both (their candidates), the second changes nothing
      assertTrue(first.result().succeeded(), first.result().stderr());
      assertEquals(true, first.fields().get("changed"));
      assertTrue(
          String.valueOf(first.fields().get("stdout")).contains("Setting up nginx (1.22-1)"));
      assertEquals(false, second.fields().get("changed"));
      assertFalse(second.fields().containsKey("stdout"), "apt-get did not run");
      assertEquals(false, second.fields().get("cache_updated"));
      assertTrue(second.fields().get("cache_update_time") instanceof Long);
      assertEquals("nginx 1.22-1 amd64\ncurl 7.88-1 amd64\n", installed(h));
    }
  }

  @Test
  void aVersionPatternInstallsTheMatchingVersionAndLatestUpgrades() throws Exception {
    try (StandInHost h = host("nginx 1.22-1 amd64 bookworm\nnginx 1.20-2 amd64 bookworm\n")) {
      // given a version pattern, then latest
      ModuleOutcome pinned = run(h, apt("present", "nginx=1.20*"));
      ModuleOutcome again = run(h, apt("present", "nginx=1.20*"));
      ModuleOutcome present = run(h, apt("present", "nginx"));
      ModuleOutcome latest = run(h, apt("latest", "nginx"));
      ModuleOutcome latestAgain = run(h, apt("latest", "nginx"));
      // then the pattern's version is installed once; present keeps it, latest upgrades once
      assertEquals(
          List.of(true, false, false, true, false),
          List.of(pinned, again, present, latest, latestAgain).stream()
              .map(o -> o.fields().get("changed"))
              .toList());
      assertEquals("nginx 1.22-1 amd64\n", installed(h));
    }
  }

  @Test
  void absentRemovesOnceAndPurgeAlsoTakesWhatRemovalLeft() throws Exception {
    try (StandInHost h = host("nginx 1.22-1 amd64 bookworm\n")) {
      run(h, apt("present", "nginx"));
      // when it is removed twice, then purged twice
      ModuleOutcome removed = run(h, apt("absent", "nginx"));
      ModuleOutcome gone = run(h, apt("absent", "nginx"));
      AptModule purge =
          new AptModule(
              new PackageList(List.of("nginx")), "absent", false, 0, true, false, Optional.empty());
      ModuleOutcome purged = run(h, purge);
      ModuleOutcome clean = run(h, purge);
      // then each changed only when dpkg still had something of it (apt.py's remove)
      assertEquals(
          List.of(true, false, true, false),
          List.of(removed, gone, purged, clean).stream()
              .map(o -> o.fields().get("changed"))
              .toList());
      assertFalse(gone.fields().containsKey("cache_updated"), "remove() exits with changed only");
      assertTrue(String.valueOf(purged.fields().get("stdout")).contains("Purging configuration"));
    }
  }

  @Test
  void anUnknownPackageFailsWithAptPysMessage() throws Exception {
    try (StandInHost h = host("nginx 1.22-1 amd64 bookworm\n")) {
      ModuleOutcome o = run(h, apt("present", "nginx", "nosuch"));
      assertFalse(o.result().succeeded());
      assertEquals("No package matching 'nosuch' is available", o.fields().get("msg"));
      ModuleOutcome v = run(h, apt("present", "nginx=9.*"));
      assertEquals("no available installation candidate for nginx=9.*", v.fields().get("msg"));
      assertEquals("", installed(h), "nothing installed before the error");
    }
  }

  @Test
  void updateCacheAloneChangesWhenTheListsMovedAndCacheValidTimeSkipsAFreshCache()
      throws Exception {
    try (StandInHost h = host("nginx 1.22-1 amd64 bookworm\n")) {
      // given repositories never fetched on this host
      AptModule update =
          new AptModule(
              new PackageList(List.of()), "present", true, 0, false, false, Optional.empty());
      AptModule valid =
          new AptModule(
              new PackageList(List.of()), "present", false, 3600, false, false, Optional.empty());
      // when the cache is updated, then asked to be valid for an hour
      ModuleOutcome updated = run(h, update);
      ModuleOutcome fresh = run(h, valid);
      // then the first updated it, the second did not run apt-get update
      assertEquals(true, updated.fields().get("cache_updated"), updated.toString());
      assertEquals(true, updated.fields().get("changed"));
      assertEquals(false, fresh.fields().get("cache_updated"));
      assertEquals(false, fresh.fields().get("changed"));
      long updates =
          Files.readAllLines(h.home().resolve(".standin-pkg/log")).stream()
              .filter(l -> l.equals("update"))
              .count();
      assertEquals(1, updates);
    }
  }

  @Test
  void specsApyRefusesAreRefusedBeforeAnythingRuns() {
    assertThrows(IllegalArgumentException.class, () -> apt("present", "a=1=2"));
    assertThrows(IllegalArgumentException.class, () -> apt("installed", "a"));
    assertThrows(IllegalArgumentException.class, () -> apt("present", "-oDebug=1"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new AptModule(
                new PackageList(List.of()), "present", false, 0, false, false, Optional.empty()));
  }
}
