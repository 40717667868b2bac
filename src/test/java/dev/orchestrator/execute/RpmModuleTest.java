package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dnf} and {@code yum} ({@link RpmModule}) on a stand-in host whose {@code dnf}, {@code yum}
 * and {@code rpm} are those of {@code src/test/resources/standins}: dnf.py's {@code changed} (what
 * {@code rpm -q} says before and after), its {@code results} and messages, repositories and the GPG
 * check.
 */
class RpmModuleTest {
  private static StandInHost host(String available, String disabledRepos) throws Exception {
    StandInHost h = StandInHost.with("dnf", "yum", "rpm", "standin-pkgdb");
    Path db = Files.createDirectories(h.home().resolve(".standin-pkg"));
    Files.writeString(db.resolve("available"), available);
    Files.writeString(db.resolve("disabled-repos"), disabledRepos);
    return h;
  }

  private static RpmModule dnf(String manager, String state, List<String> enable, String... names) {
    return new RpmModule(
        manager, new PackageList(List.of(names)), state, false, enable, List.of(), false);
  }

  private static ModuleOutcome run(StandInHost h, RpmModule m) throws Exception {
    return m.outcome(h.run(m.script()));
  }

  @Test
  void installedLatestAndRemovedChangeOnceEachWithDnfPysResults() throws Exception {
    String repo = "httpd 2.4.57-5.el9 x86_64 appstream\n";
    try (StandInHost h = host(repo, "")) {
      // given httpd not installed
      ModuleOutcome installed = run(h, dnf("dnf", "installed", List.of(), "httpd"));
      ModuleOutcome again = run(h, dnf("dnf", "present", List.of(), "httpd"));
      ModuleOutcome latest = run(h, dnf("yum", "latest", List.of(), "httpd"));
      ModuleOutcome removed = run(h, dnf("dnf", "removed", List.of(), "httpd"));
      ModuleOutcome gone = run(h, dnf("dnf", "absent", List.of(), "httpd"));
      // then only the install and the removal changed, as rpm -q tells
      assertEquals(
          List.of(true, false, false, true, false),
          List.of(installed, again, latest, removed, gone).stream()
              .map(o -> o.fields().get("changed"))
              .toList());
      assertEquals(
          List.of("Installed: httpd-2.4.57-5.el9.x86_64"), installed.fields().get("results"));
      assertEquals("", installed.fields().get("msg"));
      assertEquals(0, installed.fields().get("rc"));
      assertEquals("Nothing to do", again.fields().get("msg"));
      assertEquals(List.of("Removed: httpd-2.4.57-5.el9.x86_64"), removed.fields().get("results"));
    }
  }

  @Test
  void latestUpgradesAnOlderVersion() throws Exception {
    try (StandInHost h = host("httpd 2.4.53-1.el9 x86_64 appstream\n", "")) {
      run(h, dnf("dnf", "present", List.of(), "httpd"));
      Files.writeString(
          h.home().resolve(".standin-pkg/available"),
          "httpd 2.4.57-5.el9 x86_64 appstream\nhttpd 2.4.53-1.el9 x86_64 appstream\n");
      ModuleOutcome latest = run(h, dnf("dnf", "latest", List.of(), "httpd"));
      assertEquals(true, latest.fields().get("changed"));
      assertEquals(
          List.of("Installed: httpd-2.4.57-5.el9.x86_64", "Removed: httpd-2.4.53-1.el9.x86_64"),
          latest.fields().get("results"));
    }
  }

  @Test
  void aPackageOfADisabledRepositoryNeedsEnablerepo() throws Exception {
    try (StandInHost h = host("nagios 4.4-1.el9 x86_64 epel\n", "epel\n")) {
      // when it is installed without, then with enablerepo
      ModuleOutcome without = run(h, dnf("dnf", "present", List.of(), "nagios"));
      ModuleOutcome with = run(h, dnf("dnf", "present", List.of("epel"), "nagios"));
      // then dnf found nothing first: dnf.py's failure
      assertFalse(without.result().succeeded());
      assertEquals("Failed to install some of the specified packages", without.fields().get("msg"));
      assertEquals(List.of("No package nagios available."), without.fields().get("failures"));
      assertEquals(1, without.fields().get("rc"));
      assertEquals(true, with.fields().get("changed"));
    }
  }

  @Test
  void anUnsignedPackageNeedsDisableGpgCheck() throws Exception {
    try (StandInHost h = host("tool 1-1 noarch local unsigned\n", "")) {
      ModuleOutcome checked = run(h, dnf("dnf", "present", List.of(), "tool"));
      RpmModule unchecked =
          new RpmModule(
              "dnf",
              new PackageList(List.of("tool")),
              "present",
              false,
              List.of(),
              List.of(),
              true);
      ModuleOutcome o = run(h, unchecked);
      assertFalse(checked.result().succeeded());
      assertTrue(String.valueOf(checked.fields().get("msg")).contains("GPG check FAILED"));
      assertEquals(true, o.fields().get("changed"));
    }
  }

  @Test
  void updateCacheAloneSaysCacheUpdated() throws Exception {
    try (StandInHost h = host("", "")) {
      RpmModule m =
          new RpmModule(
              "dnf", new PackageList(List.of()), "present", true, List.of(), List.of(), false);
      ModuleOutcome o = run(h, m);
      assertEquals("Cache updated", o.fields().get("msg"));
      assertEquals(false, o.fields().get("changed"));
      assertEquals(List.of(), o.fields().get("results"));
    }
  }

  @Test
  void stateAndNamesAreCheckedAsYumdnfPyDoes() {
    assertThrows(IllegalArgumentException.class, () -> dnf("dnf", "fixed", List.of(), "a"));
    assertThrows(IllegalArgumentException.class, () -> dnf("dnf", "present", List.of()));
  }
}
