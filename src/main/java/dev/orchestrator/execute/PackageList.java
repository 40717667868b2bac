package dev.orchestrator.execute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The package names of a {@code package}, {@code apt}, {@code yum} or {@code dnf} step, rendered:
 * as Ansible's argument spec reads {@code type='list', elements='str'} ({@code
 * module_utils/common/validation.py}, {@code check_type_list}), a text is split at its commas and a
 * number is its text; each name is stripped, and empty ones are dropped. The names reach the host's
 * shell as exported values ({@code $__ORCH_PKG_1}...), never as code; the script reads them with
 * {@link #SHELL}.
 *
 * @param specs the names as written, with a version where given ({@code nginx=1.22*})
 */
record PackageList(List<String> specs) {
  /**
   * The shell function {@code __pkg I} that prints the I-th name (1-based), and {@code $__PKG_N},
   * their count; only the fixed names {@code __ORCH_PKG_<digits>} are ever expanded.
   */
  static final String SHELL =
      "__PKG_N=${__ORCH_PKG_N:-0}\n"
          + "__pkg() { eval \"printf '%s' \\\"\\$__ORCH_PKG_$1\\\"\"; }\n";

  /** Copies the names. */
  PackageList {
    specs = List.copyOf(specs);
    for (String s : specs) {
      if (s.isEmpty() || s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("a package name is empty or holds a NUL");
      }
      if (s.startsWith("-")) { // no package's name starts so: it would be read as an option
        throw new IllegalArgumentException("No package matching '" + s + "' is available");
      }
    }
  }

  /** The names of a rendered {@code name} argument, empty when it is absent. */
  static PackageList of(java.util.Optional<Object> rendered) {
    List<String> out = new ArrayList<>();
    rendered.ifPresent(v -> add(v, out));
    return new PackageList(out);
  }

  private static void add(Object v, List<String> out) {
    if (v instanceof List<?> list) {
      for (Object o : list) {
        String s = ModuleArgs.asText(o).strip();
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    } else if (v != null) {
      for (String s : ModuleArgs.asText(v).split(",", -1)) {
        if (!s.strip().isEmpty()) {
          out.add(s.strip());
        }
      }
    }
  }

  /** Whether no name is given. */
  boolean isEmpty() {
    return specs.isEmpty();
  }

  /** The exported values: the count and each name (or {@code extra}'s per-name values). */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("__ORCH_PKG_N", String.valueOf(specs.size()));
    for (int i = 0; i < specs.size(); i++) {
      env.put("__ORCH_PKG_" + (i + 1), specs.get(i));
    }
    return env;
  }
}
