package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Ansible's {@code group} module on the host, as a POSIX {@code sh} script running {@code
 * groupadd}, {@code groupmod} and {@code groupdel} as ansible-core 2.14's {@code
 * lib/ansible/modules/group.py} does on Linux (its {@code Group} class): {@code present} adds a
 * missing group ({@code -g GID}, {@code -o} with {@code non_unique}, {@code -r} with {@code
 * system}) or changes the gid of an existing one when {@code gid} differs; {@code absent} deletes
 * an existing group; nothing else is {@code changed}. Whether the group exists is {@code getent
 * group NAME} (the name service, as Python's {@code grp.getgrnam}), its first field compared with
 * the name. The name reaches the shell as an exported value, never as code. Result keys as
 * Ansible's: {@code name}, {@code state}, {@code changed}, and when the group exists after, {@code
 * gid} and {@code system}; a failure's {@code msg} is the command's stderr.
 *
 * @param name the group
 * @param state {@code present} or {@code absent}
 * @param gid the wanted gid, empty for any
 * @param system whether a new group is a system group ({@code -r})
 * @param nonUnique whether the gid may be another group's too ({@code -o})
 */
record GroupModule(String name, String state, OptionalInt gid, boolean system, boolean nonUnique) {
  /** Validates the fields. */
  GroupModule {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("'name' is empty");
    }
    if (!state.equals("present") && !state.equals("absent")) {
      throw new IllegalArgumentException(
          "state must be present or absent, rendered '" + state + "'");
    }
    if (gid.isPresent() && gid.getAsInt() < 0) {
      throw new IllegalArgumentException("'gid' must not be negative");
    }
    if (nonUnique && gid.isEmpty()) {
      throw new IllegalArgumentException(
          "non_unique is True but all of the following are missing: gid");
    }
  }

  /** Reads the rendered arguments, with Ansible's defaults. */
  static GroupModule of(ModuleArgs args) {
    return new GroupModule(
        args.text("name").orElse(""),
        args.text("state").orElse("present"),
        args.has("gid") ? OptionalInt.of(args.number("gid", 0)) : OptionalInt.empty(),
        ModuleArgs.bool(args, "system").orElse(false),
        ModuleArgs.bool(args, "non_unique").orElse(false));
  }

  /** What the step's log starts with. */
  String description() {
    return "group " + name + " " + state + (gid.isPresent() ? " gid=" + gid.getAsInt() : "");
  }

  /** The limit for the command. */
  Duration limit() {
    return Duration.ofSeconds(120);
  }

  /** The script; the name is exported, never part of the text. */
  ShellTemplate script() {
    String g = gid.isPresent() ? String.valueOf(gid.getAsInt()) : "";
    String text =
        ServiceScript.PRELUDE
            + "N=$__ORCH_GROUP_NAME\n"
            + "__t=$(mktemp -d) || __svc_fail 'mktemp failed'\n"
            + "trap 'rm -rf \"$__t\"' EXIT\n"
            + "__gid() {\n"
            + "  __l=$(getent group \"$N\" 2>/dev/null) || return 1\n"
            + "  [ \"${__l%%:*}\" = \"$N\" ] || return 1\n"
            + "  __l=${__l#*:}; __l=${__l#*:}; printf '%s\\n' \"${__l%%:*}\"\n"
            + "}\n"
            + "__tool() { __svc_bin \"$1\" || __svc_fail \"Failed to find required executable $1"
            + " in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin\"; }\n"
            + "__do() {\n"
            + "  echo @@changed\n"
            + "  \"$@\" >\"$__t/o\" 2>\"$__t/e\"; __r=$?\n"
            + "  cat \"$__t/o\"; cat \"$__t/e\" >&2\n"
            + "  [ $__r -eq 0 ] || __svc_fail \"$(cat \"$__t/e\")\" \"$(cat \"$__t/e\")\"\n"
            + "}\n"
            + (state.equals("absent")
                ? "if __gid >/dev/null; then __b=$(__tool groupdel) || exit 1; __do \"$__b\" \"$N\";"
                    + " fi\n"
                : "if __cur=$(__gid); then\n"
                    + (g.isEmpty()
                        ? ""
                        : "  if [ \"$__cur\" != "
                            + g
                            + " ]; then __b=$(__tool groupmod) || exit 1; __do \"$__b\" -g "
                            + g
                            + (nonUnique ? " -o" : "")
                            + " \"$N\"; fi\n")
                    + "  :\n"
                    + "else\n"
                    + "  __b=$(__tool groupadd) || exit 1\n"
                    + "  __do \"$__b\""
                    + (g.isEmpty() ? "" : " -g " + g + (nonUnique ? " -o" : ""))
                    + (system ? " -r" : "")
                    + " \"$N\"\n"
                    + "fi\n")
            + "if __cur=$(__gid); then echo \"@@gid=$__cur\"; fi\n"
            + "exit 0\n";
    return new ShellTemplate(text, Map.of("__ORCH_GROUP_NAME", name));
  }

  /** The outcome of the script's result, with Ansible's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("name", name);
    fields.put("state", state);
    boolean changed = false;
    StringBuilder out = new StringBuilder();
    Integer now = null;
    for (String line : result.stdout().split("\n", -1)) {
      if (line.equals("@@changed")) {
        changed = true;
      } else if (line.startsWith("@@gid=")) {
        now = Integer.valueOf(line.substring(6).strip());
      } else if (!line.isEmpty()) {
        out.append(line).append('\n');
      }
    }
    fields.put("changed", changed);
    if (now != null) {
      fields.put("system", system);
      fields.put("gid", now);
    }
    String stderr = ServiceModule.beforeMessage(result.stderr());
    if (result.succeeded()) {
      return new ModuleOutcome(
          new ExecResult(0, out.toString(), stderr, result.duration(), false), fields);
    }
    String message =
        result.timedOut()
            ? "the step's timeout ended group"
            : ServiceModule.message(result, "group");
    fields.put("msg", message);
    return new ModuleOutcome(
        new ExecResult(
            result.exitCode() == 0 ? 1 : result.exitCode(),
            out.toString(),
            message.endsWith("\n") ? message : message + "\n",
            result.duration(),
            result.timedOut()),
        fields);
  }
}
