package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * community.general's {@code npm} module on the host, as a POSIX {@code sh} script running {@code
 * npm} in the steps of {@code plugins/modules/npm.py} ({@code main}, class {@code Npm}): {@code ci}
 * runs {@code npm ci} ({@code changed}); {@code present} reads {@code npm list --json --long} and
 * installs when a dependency (or the named package, at {@code version}) is missing or invalid;
 * {@code latest} also runs {@code npm update} when {@code npm outdated} prints anything; {@code
 * absent} uninstalls the named package when listed. Each command has the module's flags, in its
 * order ({@code --global}, {@code --production} for install/update/ci, {@code --ignore-scripts},
 * {@code --unsafe-perm}, the package, {@code --registry R}, {@code --no-optional}, {@code
 * --no-bin-links}), and runs in {@code path}, made when missing. The list's JSON is read with
 * {@code node} (npm runs on it). Values are exported, never part of the text; {@code executable} is
 * split on spaces as there (no glob). {@code changed} as the module decides it.
 *
 * @param path the project's folder, empty for {@code global}
 * @param name the package, empty for the project's dependencies
 * @param version the package's version, empty for any
 * @param state {@code present}, {@code absent} or {@code latest}
 * @param executable the npm command, empty to find {@code npm}
 * @param registry the registry, empty for npm's
 * @param flags the module's boolean arguments, by name, those true
 */
record NpmModule(
    Optional<String> path,
    Optional<String> name,
    Optional<String> version,
    String state,
    Optional<String> executable,
    Optional<String> registry,
    List<String> flags) {
  /** The boolean arguments, in the order their options join a command. */
  static final List<String> FLAGS =
      List.of(
          "global",
          "production",
          "ignore_scripts",
          "unsafe_perm",
          "ci",
          "no_optional",
          "no_bin_links");

  /** Validates the fields. */
  NpmModule {
    flags = List.copyOf(flags);
    if (!List.of("present", "absent", "latest").contains(state)) {
      throw new IllegalArgumentException(
          "value of state must be one of: present, absent, latest, got: " + state);
    }
    if (path.isEmpty() && !flags.contains("global")) {
      throw new IllegalArgumentException("path must be specified when not using global");
    }
    if (state.equals("absent") && name.isEmpty()) {
      throw new IllegalArgumentException(
          "uninstalling a package is only available for named packages");
    }
  }

  /** Reads the rendered arguments, with the module's defaults. */
  static NpmModule of(ModuleArgs args) {
    List<String> on = FLAGS.stream().filter(f -> ModuleArgs.bool(args, f).orElse(false)).toList();
    return new NpmModule(
        args.text("path").filter(s -> !s.isEmpty()),
        args.text("name").filter(s -> !s.isEmpty()),
        args.text("version").filter(s -> !s.isEmpty()),
        args.text("state").orElse("present"),
        args.text("executable").filter(s -> !s.isEmpty()),
        args.text("registry").filter(s -> !s.isEmpty()),
        on);
  }

  /** The package with its version, as the module names it ({@code name@version}). */
  String nameVersion() {
    if (name.isEmpty()) {
      return "";
    }
    return version.isPresent() && !state.equals("absent")
        ? name.get() + "@" + version.get()
        : name.get();
  }

  /** What the step's log starts with. */
  String description() {
    return "npm "
        + state
        + " "
        + name.orElse(path.orElse(""))
        + (flags.contains("global") ? " (global)" : "");
  }

  /** The limit for the commands (installs download). */
  Duration limit() {
    return Duration.ofMinutes(30);
  }

  /** The script; every value is exported, never part of the text. */
  ShellTemplate script() {
    StringBuilder main = new StringBuilder();
    if (flags.contains("ci")) {
      main.append("__run ci 1 1\necho @@changed\n");
    } else {
      main.append("__run list 0 0\n__decide\n");
      switch (state) {
        case "present" ->
            main.append("if [ \"$__miss\" = 1 ]; then echo @@changed; __run install 1 1; fi\n");
        case "latest" ->
            main.append("if [ \"$__miss\" = 1 ]; then echo @@changed; __run install 1 1; fi\n")
                .append("__run outdated 1 0\n")
                .append("if grep -q . \"$__t/o\"; then echo @@changed; __run update 1 1; fi\n");
        default ->
            main.append("if [ \"$__inst\" = 1 ]; then echo @@changed; __run uninstall 1 1; fi\n");
      }
    }
    String text = ServiceScript.PRELUDE + NpmScript.text(flags) + main + "exit 0\n";
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__ORCH_NPM_PATH", path.orElse(""));
    values.put("__ORCH_NPM_NAME", name.orElse(""));
    values.put("__ORCH_NPM_NV", nameVersion());
    values.put("__ORCH_NPM_EXE", executable.orElse(""));
    values.put("__ORCH_NPM_REGISTRY", registry.orElse(""));
    return new ShellTemplate(text, values);
  }

  /** The outcome: {@code changed} as the module decides it; a failure's {@code msg}. */
  ModuleOutcome outcome(ExecResult result) {
    StringBuilder out = new StringBuilder();
    boolean changed = false;
    for (String line : result.stdout().split("\n", -1)) {
      if (line.equals("@@changed")) {
        changed = true;
      } else if (line.startsWith("@@out|")) {
        out.append(line.substring(6)).append('\n');
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("changed", changed && result.succeeded());
    return ScriptOutcome.of(result, out.toString(), fields, "npm");
  }
}
