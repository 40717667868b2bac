package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code ansible_pkg_mgr} as ansible-core 2.14's {@code facts/system/pkg_mgr.py} decides it ({@link
 * PkgMgr}), and as this machine's gathered facts say (Debian: {@code apt}).
 */
class PkgMgrTest {
  private static Map<String, Object> facts(String distribution, String major, String family) {
    return Map.of(
        "distribution", distribution,
        "distribution_major_version", major,
        "os_family", family);
  }

  @Test
  void theDistributionsDefaultWinsOverWhatElseIsInstalled() {
    Set<String> both = Set.of("/usr/bin/yum", "/usr/bin/dnf", "/usr/bin/apt-get");
    // then RHEL 7 is yum, RHEL 9 dnf, Fedora 22 yum, Amazon 2023 dnf, Debian apt, whatever exists
    assertEquals("yum", PkgMgr.decide(both, facts("CentOS", "7", "RedHat"), Map.of()));
    assertEquals("dnf", PkgMgr.decide(both, facts("RedHat", "9", "RedHat"), Map.of()));
    assertEquals("yum", PkgMgr.decide(both, facts("Fedora", "22", "RedHat"), Map.of()));
    assertEquals("dnf", PkgMgr.decide(both, facts("Amazon", "2023", "RedHat"), Map.of()));
    assertEquals("apt", PkgMgr.decide(both, facts("Debian", "12", "Debian"), Map.of()));
    assertEquals(
        "atomic_container",
        PkgMgr.decide(both, facts("Fedora", "38", "RedHat"), Map.of("ostree", "1")));
  }

  @Test
  void elsewhereTheLastManagerFoundInPkgMgrsOrder() {
    assertEquals(
        "pacman",
        PkgMgr.decide(Set.of("/usr/bin/pacman"), facts("Archlinux", "", "Archlinux"), Map.of()));
    assertEquals("unknown", PkgMgr.decide(Set.of(), facts("Alpine", "3", "Alpine"), Map.of()));
    assertEquals(
        "apt_rpm",
        PkgMgr.decide(
            Set.of("/usr/bin/apt-get"), facts("Altlinux", "10", "Debian"), Map.of("aptrpm", "1")));
  }

  @Test
  void aDebianHostsGatheredFactsSayAptWhateverElseIsInstalled() {
    // given the gathering script's output on a Debian host that also has dnf
    Map<String, Object> f =
        FactGatherer.parse(
            "os_ID=debian\nos_VERSION_ID=12\npkgpath=/usr/bin/apt-get\n"
                + "pkgpath=/usr/bin/dnf\n");
    assertEquals("apt", f.get("pkg_mgr"));
  }
}
