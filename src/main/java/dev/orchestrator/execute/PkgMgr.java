package dev.orchestrator.execute;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ansible_pkg_mgr} fact as ansible-core 2.14's {@code
 * lib/ansible/module_utils/facts/system/pkg_mgr.py} ({@code PkgMgrFactCollector}) decides it: the
 * last of its list of package managers whose file exists; then on the RedHat family {@code
 * atomic_container} when {@code /run/ostree-booted} exists, else on Fedora {@code yum} before 23
 * and {@code dnf} from 23 (each when its file exists), on Amazon the same before and from 2022, on
 * the others {@code yum} before 8 and {@code dnf} from 8; on the Debian family {@code apt} whatever
 * else exists; and {@code apt_rpm} when rpm says it owns {@code /usr/bin/apt-get}. The host's part
 * is {@link #PROBE}, read by {@link FactGatherer}.
 */
final class PkgMgr {
  private PkgMgr() {}

  /** pkg_mgr.py's {@code PKG_MGRS}: a file and the manager it means, in its order. */
  private static final List<String[]> MANAGERS =
      java.util.stream.Stream.of(
              "/usr/bin/rpm-ostree atomic_container",
              "/usr/bin/yum yum",
              "/usr/bin/dnf dnf",
              "/usr/bin/apt-get apt",
              "/usr/bin/zypper zypper",
              "/usr/sbin/urpmi urpmi",
              "/usr/bin/pacman pacman",
              "/bin/opkg opkg",
              "/usr/pkg/bin/pkgin pkgin",
              "/opt/local/bin/pkgin pkgin",
              "/opt/tools/bin/pkgin pkgin",
              "/opt/local/bin/port macports",
              "/usr/local/bin/brew homebrew",
              "/opt/homebrew/bin/brew homebrew",
              "/sbin/apk apk",
              "/usr/sbin/pkg pkgng",
              "/usr/sbin/swlist swdepot",
              "/usr/bin/emerge portage",
              "/usr/sbin/pkgadd svr4pkg",
              "/usr/bin/pkg pkg5",
              "/usr/bin/xbps-install xbps",
              "/usr/local/sbin/pkg pkgng",
              "/usr/bin/swupd swupd",
              "/usr/sbin/sorcery sorcery",
              "/usr/bin/installp installp",
              "/QOpenSys/pkgs/bin/yum yum")
          .map(s -> s.split(" "))
          .toList();

  /**
   * Lines for {@link FactGatherer#SCRIPT}: {@code pkgpath=FILE} for each of the files that exists,
   * {@code ostree=1} and {@code aptrpm=1} as pkg_mgr.py checks them.
   */
  static final String PROBE =
      "for x in "
          + String.join(" ", MANAGERS.stream().map(m -> m[0]).distinct().toList())
          + "; do [ -e \"$x\" ] && p pkgpath \"$x\"; done\n"
          + "[ -e /run/ostree-booted ] && p ostree 1\n"
          + "[ -e /usr/bin/rpm ] && /usr/bin/rpm -q --whatprovides /usr/bin/apt-get >/dev/null 2>&1"
          + " && p aptrpm 1\n";

  /**
   * The manager, from the files that exist and the distribution facts.
   *
   * @param paths the files of {@link #MANAGERS} that exist
   * @param f the facts gathered so far ({@code distribution}, {@code distribution_major_version},
   *     {@code os_family})
   * @param probe the probe's other lines ({@code ostree}, {@code aptrpm})
   */
  static String decide(Set<String> paths, Map<String, Object> f, Map<String, String> probe) {
    String name = "unknown";
    for (String[] m : MANAGERS) {
      if (paths.contains(m[0])) {
        name = m[1];
      }
    }
    String family = String.valueOf(f.getOrDefault("os_family", ""));
    if (family.equals("RedHat")) {
      name = redHat(name, paths, f, probe.containsKey("ostree"));
    } else if (family.equals("Debian")) {
      name = "apt";
    }
    if (name.equals("apt") && probe.containsKey("aptrpm")) {
      name = "apt_rpm";
    }
    return name;
  }

  private static String redHat(
      String name, Set<String> paths, Map<String, Object> f, boolean ostree) {
    if (ostree) {
      return "atomic_container";
    }
    String distribution = String.valueOf(f.getOrDefault("distribution", ""));
    int major;
    try {
      major = Integer.parseInt(String.valueOf(f.getOrDefault("distribution_major_version", "")));
    } catch (NumberFormatException e) {
      if (distribution.equals("Fedora") || distribution.equals("Amazon")) {
        return "dnf";
      }
      return name; // pkg_mgr.py's int() would fail here: its gathering would end
    }
    int cut = distribution.equals("Fedora") ? 23 : distribution.equals("Amazon") ? 2022 : 8;
    if (distribution.equals("Fedora") || distribution.equals("Amazon")) {
      String wanted = major < cut ? "yum" : "dnf";
      return paths.contains("/usr/bin/" + wanted) ? wanted : name;
    }
    return major < cut ? "yum" : "dnf";
  }
}
