package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ansible.posix's {@code seboolean} module on the host, with SELinux's command-line tools instead
 * of its Python bindings ({@code plugins/modules/seboolean.py} calls libselinux and libsemanage):
 * {@code selinuxenabled} (else "SELinux is disabled on this host.", unless {@code
 * ignore_selinux_state}), {@code getsebool NAME} (else "SELinux boolean NAME does not exist."; its
 * {@code NAME --> on|off} is the current value), and when that differs from {@code state}, {@code
 * setsebool NAME on|off} ({@code -P} with {@code persistent}, which writes the policy too), {@code
 * changed} only then. Where we differ: with {@code persistent} the module compares the persistent
 * policy's value (semanage); we compare the current value, which {@code setsebool -P} sets too, so
 * they differ only when someone set the two apart. Result keys: {@code name}, {@code persistent},
 * {@code state}, {@code changed}.
 *
 * @param name the boolean, SELinux's name characters
 * @param state the wanted value
 * @param persistent whether the policy keeps it across reboots
 * @param ignoreSelinuxState whether to go on where SELinux looks disabled
 */
record SebooleanModule(String name, boolean state, boolean persistent, boolean ignoreSelinuxState) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.]*");

  /** Validates the fields. */
  SebooleanModule {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'name' must be an SELinux boolean name ([A-Za-z0-9_.]), rendered '" + name + "'");
    }
  }

  /** Reads the rendered arguments, with the module's defaults. */
  static SebooleanModule of(ModuleArgs args) {
    return new SebooleanModule(
        args.text("name").orElse(""),
        ModuleArgs.bool(args, "state").orElse(false),
        ModuleArgs.bool(args, "persistent").orElse(false),
        ModuleArgs.bool(args, "ignore_selinux_state").orElse(false));
  }

  /** What the step's log starts with. */
  String description() {
    return "seboolean " + name + "=" + (state ? "on" : "off") + (persistent ? " persistent" : "");
  }

  /** The limit for the command ({@code setsebool -P} rebuilds the policy: minutes on old hosts). */
  Duration limit() {
    return Duration.ofSeconds(600);
  }

  /** The script; the name is exported, never part of the text. */
  ShellTemplate script() {
    String word = state ? "on" : "off";
    String text =
        ServiceScript.PRELUDE
            + "N=$__ORCH_SEBOOL_NAME\n"
            + (ignoreSelinuxState
                ? ""
                : "__e=$(__svc_bin selinuxenabled) && \"$__e\" || __svc_fail 'SELinux is disabled"
                    + " on this host.'\n")
            + "__g=$(__svc_bin getsebool) || __svc_fail 'Failed to find required executable"
            + " getsebool in paths: '\"$PATH\"':/sbin:/usr/sbin:/usr/local/sbin'\n"
            + "__cur=$(\"$__g\" \"$N\" 2>/dev/null) || __svc_fail \"SELinux boolean $N does not"
            + " exist.\"\n"
            + "case $__cur in\n"
            + "  *'--> on') __v=on ;;\n"
            + "  *'--> off') __v=off ;;\n"
            + "  *) __svc_fail \"Failed to determine current state for boolean $N\" ;;\n"
            + "esac\n"
            + "if [ \"$__v\" != "
            + word
            + " ]; then\n"
            + "  __s=$(__svc_bin setsebool) || __svc_fail 'Failed to find required executable"
            + " setsebool'\n"
            + "  __o=$(\"$__s\" "
            + (persistent ? "-P " : "")
            + "\"$N\" "
            + word
            + " 2>&1) || __svc_fail \"Failed to set boolean $N to "
            + (state ? "1" : "0")
            + ": $__o\"\n"
            + "  echo @@changed\n"
            + "fi\n"
            + "exit 0\n";
    return new ShellTemplate(text, Map.of("__ORCH_SEBOOL_NAME", name));
  }

  /** The outcome, with the module's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("name", name);
    fields.put("persistent", persistent);
    fields.put("state", state);
    fields.put(
        "changed", result.succeeded() && result.stdout().lines().anyMatch("@@changed"::equals));
    return ScriptOutcome.of(result, "", fields, "seboolean");
  }
}
