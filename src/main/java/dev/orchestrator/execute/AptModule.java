package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's {@code apt} module on the host, as a POSIX {@code sh} script running {@code apt-get},
 * {@code apt-cache} and {@code dpkg-query} where ansible-core 2.14's {@code
 * lib/ansible/modules/apt.py} reads python-apt's cache ({@link AptScript}, the steps of its {@code
 * main}, {@code install}, {@code remove} and {@code cleanup}): the cache's age is the mtime of
 * {@code /var/lib/apt/periodic/update-success-stamp} or {@code /var/lib/apt/lists}; {@code
 * update_cache} or a {@code cache_valid_time} older than that age runs {@code apt-get update}, and
 * with no package to manage the step ends there, {@code changed} when the age moved; a package to
 * be present is installed when it is not (or not in the wanted version, {@code name=1.2*} or {@code
 * name>=1.2}), {@code latest} also when its candidate differs; {@code absent} removes the installed
 * ones ({@code purge} also those whose configuration files remain); {@code changed} is whether
 * {@code apt-get} ran; {@code autoremove} without names runs {@code apt-get autoremove}, {@code
 * changed} when it printed "The following packages will be REMOVED". Result keys as Ansible's:
 * {@code changed}, {@code cache_updated}, {@code cache_update_time}, {@code stdout}, {@code stderr}
 * (when {@code apt-get} ran), and on failure {@code msg}, {@code rc}.
 *
 * @param packages the names, with their versions
 * @param state {@code present}, {@code latest} or {@code absent}
 * @param updateCache {@code update_cache}
 * @param cacheValidTime {@code cache_valid_time} in seconds, 0 for none
 * @param purge {@code purge}
 * @param autoremove {@code autoremove}
 * @param installRecommends {@code install_recommends}, empty for the host's default
 */
record AptModule(
    PackageList packages,
    String state,
    boolean updateCache,
    int cacheValidTime,
    boolean purge,
    boolean autoremove,
    Optional<Boolean> installRecommends) {
  /** The states of apt.py's argument spec that we run (it also has build-dep and fixed). */
  static final java.util.List<String> STATES = java.util.List.of("absent", "latest", "present");

  /** Validates the fields, with apt.py's messages. */
  AptModule {
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException(
          "value of state must be one of: absent, build-dep, fixed, latest, present, got: "
              + state);
    }
    if (cacheValidTime < 0) {
      throw new IllegalArgumentException("'cache_valid_time' must not be negative");
    }
    if (packages.isEmpty() && !updateCache && cacheValidTime == 0 && !autoremove) {
      throw new IllegalArgumentException(
          "one of the following is required: autoremove, deb, package, update_cache, upgrade");
    }
    for (String spec : packages.specs()) {
      if (spec.chars().filter(c -> c == '=').count() > 1) {
        throw new IllegalArgumentException("invalid package spec: " + spec);
      }
      if (spec.equals("*")) {
        throw new IllegalArgumentException(
            "name '*' (every installed package) is not supported: list the packages");
      }
    }
  }

  /** Reads the rendered arguments, with Ansible's defaults. */
  static AptModule of(ModuleArgs args) {
    return new AptModule(
        PackageList.of(args.rendered("name")),
        args.text("state").orElse("present"),
        ModuleArgs.bool(args, "update_cache").orElse(false),
        args.number("cache_valid_time", 0),
        ModuleArgs.bool(args, "purge").orElse(false),
        ModuleArgs.bool(args, "autoremove").orElse(false),
        ModuleArgs.bool(args, "install_recommends"));
  }

  /** What the step's log starts with. */
  String description() {
    return "apt " + String.join(",", packages.specs()) + " " + state;
  }

  /** The limit for the commands. */
  Duration limit() {
    return Duration.ofMinutes(30);
  }

  /** The script; the names are exported, never part of the text. */
  ShellTemplate script() {
    return new ShellTemplate(AptScript.text(this), packages.env());
  }

  /** The outcome of the script's result, with apt.py's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    PackageOutput out = PackageOutput.parse(result);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("changed", out.changed());
    String op = out.marks().getOrDefault("op", "");
    if (!op.equals("remove")
        && !op.equals("autoremove")
        && out.marks().containsKey("cache_updated")) {
      fields.put("cache_updated", out.marks().get("cache_updated").equals("1"));
      fields.put("cache_update_time", Long.parseLong(out.marks().get("cache_update_time")));
    }
    if (out.marks().containsKey("ran")) {
      fields.put("stdout", out.stdout());
      fields.put("stderr", out.stderr());
    }
    return out.outcome(result, fields, "apt");
  }
}
