package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's {@code dnf} and {@code yum} modules on the host, as a POSIX {@code sh} script running
 * the host's {@code dnf} (or {@code yum}) and {@code rpm -q} where ansible-core 2.14's {@code
 * lib/ansible/modules/dnf.py} uses the dnf Python API: whether a name is installed is {@code rpm -q
 * NAME} (its exit status), before and after; {@code present}/{@code installed} installs the names
 * not installed, {@code latest} installs those and upgrades the others, {@code absent}/{@code
 * removed} removes the installed ones; {@code changed} is whether {@code rpm -q}'s answer moved.
 * {@code update_cache} runs {@code makecache} first, and alone ends with "Cache updated". Result
 * keys as dnf.py's: {@code msg} ("Nothing to do" when nothing changed), {@code changed}, {@code
 * results} ("Installed: NEVRA", "Removed: NEVRA"), {@code rc}, and on a failure {@code failures}.
 * ansible-core 2.14's {@code yum} action runs dnf.py where the host's {@code ansible_pkg_mgr} is
 * {@code dnf} (every RHEL 8 and later), so {@code yum} has dnf.py's results here too, running the
 * host's {@code yum} command.
 *
 * @param manager {@code dnf} or {@code yum}, the command run
 * @param packages the names
 * @param state {@code present}, {@code latest} or {@code absent} ({@code installed} and {@code
 *     removed} are read as their aliases)
 * @param updateCache {@code update_cache}
 * @param enableRepos {@code enablerepo}
 * @param disableRepos {@code disablerepo}
 * @param disableGpgCheck {@code disable_gpg_check}
 */
record RpmModule(
    String manager,
    PackageList packages,
    String state,
    boolean updateCache,
    List<String> enableRepos,
    List<String> disableRepos,
    boolean disableGpgCheck) {
  /** Validates the fields, with yumdnf.py's messages; reads the states' aliases. */
  RpmModule {
    if (!manager.equals("dnf") && !manager.equals("yum")) {
      throw new IllegalArgumentException("unknown manager " + manager);
    }
    state =
        switch (state) {
          case "present", "installed" -> "present";
          case "absent", "removed" -> "absent";
          case "latest" -> "latest";
          default ->
              throw new IllegalArgumentException(
                  "value of state must be one of: absent, installed, latest, present, removed,"
                      + " got: "
                      + state);
        };
    if (packages.isEmpty() && !updateCache) {
      throw new IllegalArgumentException(
          "one of the following is required: name, list, update_cache");
    }
    enableRepos = List.copyOf(enableRepos);
    disableRepos = List.copyOf(disableRepos);
  }

  /** Reads the rendered arguments, with Ansible's defaults. */
  static RpmModule of(String manager, ModuleArgs args) {
    return new RpmModule(
        manager,
        PackageList.of(args.rendered("name")),
        args.text("state").orElse("present"),
        ModuleArgs.bool(args, "update_cache").orElse(false),
        PackageList.of(args.rendered("enablerepo")).specs(),
        PackageList.of(args.rendered("disablerepo")).specs(),
        ModuleArgs.bool(args, "disable_gpg_check").orElse(false));
  }

  /** What the step's log starts with. */
  String description() {
    return manager + " " + String.join(",", packages.specs()) + " " + state;
  }

  /** The limit for the commands. */
  Duration limit() {
    return Duration.ofMinutes(30);
  }

  private static final String SETUP =
      """
      B=$(__svc_bin "$__MGR") || __svc_fail "Failed to find required executable $__MGR in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin"
      __q() { rpm -q "$1" 2>/dev/null | head -n 1; }
      __runb() {
        [ -z "${__ORCH_PKG_DIS:-}" ] || set -- "--disablerepo=$__ORCH_PKG_DIS" "$@"
        [ -z "${__ORCH_PKG_EN:-}" ] || set -- "--enablerepo=$__ORCH_PKG_EN" "$@"
        [ "$__GPG" = 0 ] || set -- --nogpgcheck "$@"
        "$B" -y "$@" >>"$__t/o" 2>>"$__t/e"
      }
      if [ "$__UPD" = 1 ]; then
        if ! __runb makecache; then echo @@rc=1; __end "$(cat "$__t/e")"; fi
        : >"$__t/o"; : >"$__t/e"
        if [ "$__PKG_N" = 0 ]; then echo @@op=cache; __end; fi
      fi
      __i=1
      while [ $__i -le "$__PKG_N" ]; do
        __s=$(__pkg $__i); echo "@@before$__i=$(__q "$__s")"; __i=$((__i + 1))
      done
      """;

  private static final String CHANGE =
      """
      __act() {
        __which=$1; __cmd=$2; set --; __i=1
        while [ $__i -le "$__PKG_N" ]; do
          __s=$(__pkg $__i); __i=$((__i + 1))
          if rpm -q "$__s" >/dev/null 2>&1; then [ $__which = installed ] && set -- "$@" "$__s"
          else [ $__which = missing ] && set -- "$@" "$__s"; fi
        done
        [ $# -eq 0 ] || __runb "$__cmd" "$@"
      }
      """;

  /** The script; the names and repositories are exported, never part of the text. */
  ShellTemplate script() {
    String act =
        switch (state) {
          case "absent" -> "__act installed remove || __r=$?\n";
          case "latest" ->
              "__act installed upgrade || __r=$?\n"
                  + "[ $__r -ne 0 ] || __act missing install || __r=$?\n";
          default -> "__act missing install || __r=$?\n";
        };
    String text =
        PackageOutput.PRELUDE
            + "__MGR="
            + manager
            + "; __GPG="
            + (disableGpgCheck ? 1 : 0)
            + "; __UPD="
            + (updateCache ? 1 : 0)
            + "\n"
            + SETUP
            + CHANGE
            + "echo @@op=change; __r=0\n"
            + act
            + "__i=1\n"
            + "while [ $__i -le \"$__PKG_N\" ]; do\n"
            + "  __s=$(__pkg $__i); echo \"@@after$__i=$(__q \"$__s\")\"; __i=$((__i + 1))\n"
            + "done\n"
            + "if [ $__r -ne 0 ]; then echo \"@@rc=$__r\"; __end \"$(cat \"$__t/e\")\"; fi\n"
            + "__end\n";
    Map<String, String> env = new LinkedHashMap<>(packages.env());
    if (!enableRepos.isEmpty()) {
      env.put("__ORCH_PKG_EN", String.join(",", enableRepos));
    }
    if (!disableRepos.isEmpty()) {
      env.put("__ORCH_PKG_DIS", String.join(",", disableRepos));
    }
    return new ShellTemplate(text, env);
  }

  /** The outcome of the script's result, with dnf.py's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    PackageOutput out = PackageOutput.parse(result);
    Map<String, Object> fields = new LinkedHashMap<>();
    List<String> results = new ArrayList<>();
    boolean changed = false;
    for (int i = 1; i <= packages.specs().size(); i++) {
      String before = rpm(out.marks().get("before" + i));
      String after = rpm(out.marks().get("after" + i));
      if (out.marks().containsKey("after" + i) && !before.equals(after)) {
        changed = true;
        if (!after.isEmpty()) {
          results.add("Installed: " + after);
        }
        if (!before.isEmpty()) {
          results.add("Removed: " + before);
        }
      }
    }
    boolean cacheOnly = out.marks().getOrDefault("op", "").equals("cache");
    fields.put("msg", cacheOnly ? "Cache updated" : changed ? "" : "Nothing to do");
    fields.put("changed", changed);
    fields.put("results", results);
    fields.put("rc", 0);
    if (!result.succeeded()) {
      List<String> failures = failures(out.stderr());
      fields.remove("msg");
      fields.put("rc", 1);
      fields.put("results", List.of());
      fields.put("failures", failures);
      if (!failures.isEmpty()) {
        fields.put("msg", "Failed to install some of the specified packages");
      }
    }
    return out.outcome(result, fields, manager);
  }

  /** An {@code rpm -q} answer: the NEVRA, or empty when not installed. */
  private static String rpm(String answer) {
    return answer == null || answer.startsWith("package ") ? "" : answer.strip();
  }

  /** dnf.py's failures: "No package NAME available." for each name dnf found nowhere. */
  private static List<String> failures(String stderr) {
    List<String> f = new ArrayList<>();
    for (String line : stderr.split("\n", -1)) {
      if (line.startsWith("No match for argument: ")) {
        f.add("No package " + line.substring(23).strip() + " available.");
      }
    }
    return f;
  }
}
