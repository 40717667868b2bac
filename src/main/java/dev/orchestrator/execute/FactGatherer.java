package dev.orchestrator.execute;

import dev.orchestrator.template.Facts;
import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers a host's facts ({@link Facts}) in one command: one round trip over the host's connection,
 * reading {@code /proc}, {@code /etc/os-release} and {@code /etc/debian_version} with the shell's
 * own {@code read} (no process started), and starting only {@code date} and, where they exist,
 * {@code getent} (the host name's canonical name, as Python's {@code socket.getfqdn} that Ansible
 * uses) and {@code uname -m} (kernels before 6.1 have no {@code /proc/sys/kernel/arch}). A source
 * that is missing leaves its facts out or empty; gathering never fails a host whose connection
 * works.
 *
 * <p>Values follow Ansible's {@code setup} module (ansible-core 2.14, {@code
 * module_utils/facts/system/platform.py}, {@code distribution.py}, {@code date_time.py}, {@code
 * user.py}, {@code hardware/linux.py}, {@code network/linux.py}); {@code FactsParityIT} compares
 * them with real Ansible's on this machine.
 */
final class FactGatherer {
  private FactGatherer() {}

  /** The longest the gathering command may take: 60 s. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The command: prints {@code key=value} lines that {@link #parse} reads. */
  static final String SCRIPT =
      """
      p() { printf '%s=%s\\n' "$1" "$2"; }
      v=; read -r v 2>/dev/null </proc/sys/kernel/ostype || v=$(uname -s 2>/dev/null); p system "$v"
      v=; read -r v 2>/dev/null </proc/sys/kernel/osrelease || v=$(uname -r 2>/dev/null); p kernel "$v"
      n=; read -r n 2>/dev/null </proc/sys/kernel/hostname || n=$(uname -n 2>/dev/null); p nodename "$n"
      v=; read -r v 2>/dev/null </proc/sys/kernel/arch || v=$(uname -m 2>/dev/null); p machine "$v"
      if command -v getent >/dev/null 2>&1; then
        set -- $(getent hosts "$n" 2>/dev/null)
        [ -n "${1:-}" ] && set -- $(getent hosts "$1" 2>/dev/null) && [ $# -gt 1 ] && shift && p fqdn "$*"
      fi
      while read -r k v u; do case $k in MemTotal:) p memtotal_kb "$v"; break;; esac; done 2>/dev/null </proc/meminfo
      v=; read -r v 2>/dev/null </sys/devices/system/cpu/online && p cpus_online "$v"
      while read -r k v; do case $k in Cpus_allowed_list:) p cpus_allowed "$v"; break;; esac; done 2>/dev/null </proc/self/status
      p date "$(date '+%s %Y-%m-%d' 2>/dev/null)"
      p user "${LOGNAME:-${USER:-$(id -un 2>/dev/null)}}"
      while IFS== read -r k v; do case $k in ID|VERSION_ID|VERSION_CODENAME|NAME|ID_LIKE) v=${v#[\\"\\']}; v=${v%[\\"\\']}; p "os_$k" "$v";; esac; done 2>/dev/null </etc/os-release
      v=; read -r v 2>/dev/null </etc/debian_version && p debian_version "$v"
      while read -r i d g f r; do case $d in [0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]) set -- $r; p route "$i $d $g ${4:-}";; esac; done 2>/dev/null </proc/net/route
      a=; while read -r x y z; do case $x in '|--') a=$y;; /32) [ "$y $z" = 'host LOCAL' ] && p local "$a";; esac; done 2>/dev/null </proc/net/fib_trie
      """
          + PkgMgr.PROBE
          + "true\n";

  /**
   * Gathers the facts over the connection.
   *
   * @return fact name (without the {@code ansible_} prefix) to value
   * @throws TransportException if the connection fails
   */
  static Map<String, Object> gather(Connection connection) throws TransportException {
    ExecResult result = connection.exec(SCRIPT, Optional.of(TIMEOUT));
    return parse(result.stdout());
  }

  /**
   * Reads the script's output into facts, with Ansible's names and value types.
   *
   * @param output the {@code key=value} lines
   */
  static Map<String, Object> parse(String output) {
    Map<String, String> one = new LinkedHashMap<>();
    List<String[]> routes = new ArrayList<>();
    List<String> locals = new ArrayList<>();
    java.util.Set<String> pkgPaths = new java.util.HashSet<>();
    for (String line : output.split("\n", -1)) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1).strip();
      switch (key) {
        case "route" -> routes.add(value.split(" ", -1));
        case "pkgpath" -> pkgPaths.add(value);
        case "local" -> {
          if (!locals.contains(value)) {
            locals.add(value);
          }
        }
        default -> one.putIfAbsent(key, value);
      }
    }
    Map<String, Object> f = new LinkedHashMap<>();
    String node = one.getOrDefault("nodename", "");
    f.put("hostname", node.contains(".") ? node.substring(0, node.indexOf('.')) : node);
    f.put("nodename", node);
    f.put("fqdn", fqdn(one.get("fqdn"), node));
    network(f, routes, locals);
    distribution(f, one);
    f.put("system", one.getOrDefault("system", ""));
    f.put("kernel", one.getOrDefault("kernel", ""));
    String machine = one.getOrDefault("machine", "");
    f.put("architecture", architecture(machine));
    f.put("machine", machine);
    integer(one.get("memtotal_kb")).ifPresent(kb -> f.put("memtotal_mb", (int) (kb / 1024)));
    cpuCount(one.get("cpus_online")).ifPresent(n -> f.put("processor_vcpus", n));
    cpuCount(one.get("cpus_allowed"))
        .or(() -> cpuCount(one.get("cpus_online")))
        .ifPresent(n -> f.put("processor_nproc", n));
    dateTime(one.getOrDefault("date", "")).ifPresent(d -> f.put("date_time", d));
    f.put("user_id", one.getOrDefault("user", ""));
    f.put("pkg_mgr", PkgMgr.decide(pkgPaths, f, one));
    return f;
  }

  /**
   * Python's {@code socket.getfqdn}: the first of the address's names that holds a dot, else the
   * first, else the host name itself.
   */
  private static String fqdn(String names, String node) {
    if (names == null || names.isBlank()) {
      return node;
    }
    String[] all = names.trim().split("\\s+");
    for (String n : all) {
      if (n.contains(".")) {
        return n;
      }
    }
    return all[0];
  }

  /** Ansible's {@code platform.py}: i386-like machines are {@code i386}, the rest as they are. */
  private static String architecture(String machine) {
    return machine.matches("i[3-6]86") ? "i386" : machine;
  }

  /**
   * {@code default_ipv4} (the default route's interface and gateway, the interface's first address)
   * and {@code all_ipv4_addresses} (every local address but loopback's), from {@code
   * /proc/net/route} and {@code /proc/net/fib_trie}.
   */
  private static void network(Map<String, Object> f, List<String[]> routes, List<String> locals) {
    List<String> all = new ArrayList<>();
    Map<String, String> firstByInterface = new LinkedHashMap<>();
    for (String address : locals) {
      long a = dotted(address);
      if (a < 0 || (a >>> 24) == 127) {
        continue;
      }
      all.add(address);
      for (String[] r : routes) {
        if (r.length < 4 || r[1].equals("00000000")) {
          continue;
        }
        long dest = hexAddress(r[1]);
        long mask = hexAddress(r[3]);
        if (dest >= 0 && mask > 0 && (a & mask) == dest) {
          firstByInterface.putIfAbsent(r[0], address);
        }
      }
    }
    f.put("all_ipv4_addresses", List.copyOf(all));
    Map<String, Object> def = new LinkedHashMap<>();
    for (String[] r : routes) {
      if (r.length >= 3 && r[1].equals("00000000")) {
        def.put("interface", r[0]);
        long gw = hexAddress(r[2]);
        if (gw > 0) {
          def.put("gateway", dotted(gw));
        }
        String address = firstByInterface.get(r[0]);
        if (address != null) {
          def.put("address", address);
        }
        break;
      }
    }
    f.put("default_ipv4", java.util.Collections.unmodifiableMap(def));
  }

  /** A {@code /proc/net/route} address: 8 hex digits, little-endian. */
  private static long hexAddress(String hex) {
    try {
      long v = Long.parseLong(hex, 16);
      return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) | ((v >> 24) & 0xff);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long dotted(String address) {
    String[] p = address.split("\\.", -1);
    if (p.length != 4) {
      return -1;
    }
    long v = 0;
    for (String part : p) {
      try {
        int b = Integer.parseInt(part);
        if (b < 0 || b > 255) {
          return -1;
        }
        v = (v << 8) | b;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return v;
  }

  private static String dotted(long v) {
    return ((v >> 24) & 0xff)
        + "."
        + ((v >> 16) & 0xff)
        + "."
        + ((v >> 8) & 0xff)
        + "."
        + (v & 0xff);
  }

  /**
   * Ansible's {@code distribution.py} for the common families: the name from {@code os-release}'s
   * {@code ID}, the version from {@code /etc/debian_version} on Debian (12.11, where os-release
   * says 12), else {@code VERSION_ID}; the release is {@code VERSION_CODENAME}.
   */
  private static void distribution(Map<String, Object> f, Map<String, String> os) {
    String id = os.getOrDefault("os_ID", "").toLowerCase(Locale.ROOT);
    String name = DISTRIBUTIONS.getOrDefault(id, id.isEmpty() ? "" : capitalize(id));
    String version = os.getOrDefault("os_VERSION_ID", "");
    String debian = os.getOrDefault("debian_version", "");
    if (name.equals("Debian") && debian.matches("[0-9]+(\\.[0-9]+)*")) {
      version = debian;
    }
    f.put("distribution", name);
    f.put("distribution_version", version);
    f.put("distribution_major_version", version.split("\\.", -1)[0]);
    f.put("distribution_release", os.getOrDefault("os_VERSION_CODENAME", ""));
    String family = FAMILIES.get(name);
    if (family == null) {
      for (String like : os.getOrDefault("os_ID_LIKE", "").split("\\s+")) {
        family = FAMILIES.get(DISTRIBUTIONS.getOrDefault(like, ""));
        if (family != null) {
          break;
        }
      }
    }
    f.put("os_family", family == null ? name : family);
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** os-release {@code ID} to Ansible's distribution name (the {@code distro} package's). */
  private static final Map<String, String> DISTRIBUTIONS =
      Map.ofEntries(
          Map.entry("debian", "Debian"),
          Map.entry("ubuntu", "Ubuntu"),
          Map.entry("raspbian", "Debian"),
          Map.entry("linuxmint", "Linux Mint"),
          Map.entry("kali", "Kali"),
          Map.entry("centos", "CentOS"),
          Map.entry("rhel", "RedHat"),
          Map.entry("fedora", "Fedora"),
          Map.entry("rocky", "Rocky"),
          Map.entry("almalinux", "AlmaLinux"),
          Map.entry("ol", "OracleLinux"),
          Map.entry("amzn", "Amazon"),
          Map.entry("opensuse-leap", "openSUSE Leap"),
          Map.entry("sles", "SLES"),
          Map.entry("alpine", "Alpine"),
          Map.entry("arch", "Archlinux"));

  /** Ansible's {@code OS_FAMILY_MAP}, for the names above. */
  private static final Map<String, String> FAMILIES =
      Map.ofEntries(
          Map.entry("Debian", "Debian"),
          Map.entry("Ubuntu", "Debian"),
          Map.entry("Linux Mint", "Debian"),
          Map.entry("Kali", "Debian"),
          Map.entry("CentOS", "RedHat"),
          Map.entry("RedHat", "RedHat"),
          Map.entry("Fedora", "RedHat"),
          Map.entry("Rocky", "RedHat"),
          Map.entry("AlmaLinux", "RedHat"),
          Map.entry("OracleLinux", "RedHat"),
          Map.entry("Amazon", "RedHat"),
          Map.entry("openSUSE Leap", "Suse"),
          Map.entry("SLES", "Suse"),
          Map.entry("Alpine", "Alpine"),
          Map.entry("Archlinux", "Archlinux"));

  /** A CPU list ({@code 0-3,6}) as a count. */
  private static Optional<Integer> cpuCount(String list) {
    if (list == null || list.isBlank()) {
      return Optional.empty();
    }
    int count = 0;
    try {
      for (String part : list.trim().split(",")) {
        String[] range = part.split("-", -1);
        count +=
            range.length == 1
                ? 1
                : Integer.parseInt(range[1].trim()) - Integer.parseInt(range[0].trim()) + 1;
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return count > 0 ? Optional.of(count) : Optional.empty();
  }

  private static Optional<Long> integer(String s) {
    try {
      return s == null ? Optional.empty() : Optional.of(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code date_time}: {@code epoch} (text, as Ansible's), {@code iso8601} (UTC), {@code date} (the
   * host's local date).
   */
  private static Optional<Map<String, Object>> dateTime(String value) {
    String[] p = value.trim().split("\\s+");
    Optional<Long> epoch = integer(p[0]);
    if (epoch.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("epoch", Long.toString(epoch.get()));
    d.put(
        "iso8601",
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .format(Instant.ofEpochSecond(epoch.get()).atOffset(ZoneOffset.UTC)));
    if (p.length > 1) {
      d.put("date", p[1]);
    }
    return Optional.of(java.util.Collections.unmodifiableMap(d));
  }
}
