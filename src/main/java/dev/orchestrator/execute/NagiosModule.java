package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * community.general's {@code nagios} module on the host, as a POSIX {@code sh} script writing
 * Nagios' external commands (Nagios Core's "External Commands" list: {@code
 * DISABLE_SVC_NOTIFICATIONS;host;service}, {@code SCHEDULE_SVC_DOWNTIME;...}, ...) to its command
 * file, each line {@code [TIME] COMMAND;ARGS} as {@code plugins/modules/nagios.py} formats it
 * ({@code _fmt_notif_str}, {@code _fmt_dt_str}; the time is the host's). The command file is {@code
 * cmdfile}, else the {@code command_file=} line of the first of the module's {@code nagios.cfg}
 * locations that has one ({@code which_cmdfile}); it must exist and be a FIFO, as there. {@code
 * services} is {@code host} (the host itself), {@code all} (its services), or a comma-separated
 * list. {@code changed} is always true, as the module's. Values are exported, never part of the
 * text; a value holding a line break or (outside {@code command}) Nagios' field separator {@code ;}
 * is refused, where Ansible would write extra commands.
 *
 * @param action one of {@link dev.orchestrator.playbook.ModuleCall}'s nagios actions we run
 * @param lines the command lines without their time; a downtime's starts with {@code D} (its start,
 *     end, fixed, trigger, duration, author and comment are added on the host), any other's with
 *     {@code N}
 * @param cmdfile the command file, empty to look it up
 * @param start the downtime's start (seconds since the epoch), empty for now
 * @param minutes the downtime's length
 * @param author the downtime's author
 * @param comment the downtime's comment
 */
record NagiosModule(
    String action,
    List<String> lines,
    Optional<String> cmdfile,
    OptionalLong start,
    int minutes,
    String author,
    String comment) {
  /** nagios.py's {@code which_cmdfile} locations, in its order. */
  static final List<String> LOCATIONS =
      List.of(
          "/etc/nagios/nagios.cfg",
          "/etc/nagios3/nagios.cfg",
          "/etc/nagios2/nagios.cfg",
          "/usr/local/etc/nagios/nagios.cfg",
          "/usr/local/groundwork/nagios/etc/nagios.cfg",
          "/omd/sites/oppy/tmp/nagios/nagios.cfg",
          "/usr/local/nagios/etc/nagios.cfg",
          "/usr/local/nagios/nagios.cfg",
          "/opt/nagios/etc/nagios.cfg",
          "/opt/nagios/nagios.cfg",
          "/etc/icinga/icinga.cfg",
          "/usr/local/icinga/etc/icinga.cfg");

  /** Validates the fields. */
  NagiosModule {
    lines = List.copyOf(lines);
    for (String line : lines) {
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("a nagios argument holds a line break");
      }
    }
    for (String field : List.of(author, comment)) {
      if (field.contains(";") || field.contains("\n") || field.contains("\r")) {
        throw new IllegalArgumentException(
            "nagios author and comment must not hold ';' or a line break, rendered '"
                + field
                + "'");
      }
    }
    if (minutes < 0) {
      throw new IllegalArgumentException("'minutes' must not be negative");
    }
  }

  /** Reads the rendered arguments, with the module's defaults. */
  static NagiosModule of(ModuleArgs args) {
    String action = args.text("action").orElse("");
    String host = field(args, "host");
    Optional<String> services = args.text("services");
    List<String> svcs =
        services.isEmpty() || services.get().equals("host") || services.get().equals("all")
            ? List.of()
            : Arrays.stream(services.get().split(",", -1)).map(NagiosModule::checked).toList();
    String which = services.orElse("");
    List<String> lines = new ArrayList<>();
    switch (action) {
      case "downtime" -> {
        if (which.equals("host")) {
          lines.add("DSCHEDULE_HOST_DOWNTIME;" + host + ";");
        } else if (which.equals("all")) {
          lines.add("DSCHEDULE_HOST_SVC_DOWNTIME;" + host + ";");
        } else {
          svcs.forEach(s -> lines.add("DSCHEDULE_SVC_DOWNTIME;" + host + ";" + s + ";"));
        }
      }
      case "silence", "unsilence" -> {
        String verb = action.equals("silence") ? "DISABLE" : "ENABLE";
        lines.add("N" + verb + "_HOST_SVC_NOTIFICATIONS;" + host);
        lines.add("N" + verb + "_HOST_NOTIFICATIONS;" + host);
      }
      case "enable_alerts", "disable_alerts" -> {
        String verb = action.equals("disable_alerts") ? "DISABLE" : "ENABLE";
        if (which.equals("host")) {
          lines.add("N" + verb + "_HOST_NOTIFICATIONS;" + host);
        } else if (which.equals("all")) {
          lines.add("N" + verb + "_HOST_SVC_NOTIFICATIONS;" + host);
        } else {
          svcs.forEach(s -> lines.add("N" + verb + "_SVC_NOTIFICATIONS;" + host + ";" + s));
        }
      }
      case "silence_nagios" -> lines.add("NDISABLE_NOTIFICATIONS");
      case "unsilence_nagios" -> lines.add("NENABLE_NOTIFICATIONS");
      case "command" -> lines.add("N" + args.text("command").orElse(""));
      default -> throw new IllegalArgumentException("unknown action specified: '" + action + "'");
    }
    OptionalLong start = OptionalLong.empty();
    if (args.text("start").filter(s -> !s.isEmpty()).isPresent()) {
      String s = args.text("start").get().strip();
      if (!s.matches("\\d{1,12}")) {
        throw new IllegalArgumentException(
            "'start' must be seconds since the epoch, rendered '" + s + "'");
      }
      start = OptionalLong.of(Long.parseLong(s));
    }
    return new NagiosModule(
        action,
        lines,
        args.text("cmdfile").filter(c -> !c.isEmpty()),
        start,
        args.number("minutes", 30),
        args.text("author").filter(a -> !a.isEmpty()).orElse("Ansible"),
        args.text("comment").filter(c -> !c.isEmpty()).orElse("Scheduling downtime"));
  }

  private static String field(ModuleArgs args, String key) {
    return checked(args.text(key).orElse(""));
  }

  private static String checked(String value) {
    if (value.contains(";")) {
      throw new IllegalArgumentException(
          "a nagios host or service must not hold ';' (Nagios' field separator), rendered '"
              + value
              + "'");
    }
    return value;
  }

  /** What the step's log starts with. */
  String description() {
    return "nagios " + action;
  }

  /** The limit for the command (a write to the FIFO waits for Nagios to read it). */
  Duration limit() {
    return Duration.ofSeconds(120);
  }

  /** The script; every value is exported, never part of the text. */
  ShellTemplate script() {
    String text =
        ServiceScript.PRELUDE
            + "F=$__ORCH_NAGIOS_CMDFILE\n"
            + "if [ -z \"$F\" ]; then\n"
            + "  for __c in "
            + String.join(" ", LOCATIONS)
            + "; do\n"
            + "    if [ -e \"$__c\" ]; then\n"
            + "      F=$(grep '^command_file' \"$__c\" 2>/dev/null | head -n 1 | cut -d= -f2"
            + " | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')\n"
            + "      [ -z \"$F\" ] || break\n"
            + "    fi\n"
            + "  done\n"
            + "fi\n"
            + "[ -n \"$F\" ] || __svc_fail 'unable to locate nagios.cfg'\n"
            + "printf '@@cmdfile=%s\\n' \"$F\"\n"
            + "__sec=$((__ORCH_NAGIOS_MINUTES * 60))\n"
            + "while IFS= read -r __l <&3; do\n"
            + "  [ -e \"$F\" ] || __svc_fail 'nagios command file does not exist'\n"
            + "  [ -p \"$F\" ] || __svc_fail 'nagios command file is not a fifo file'\n"
            + "  __now=$(date +%s)\n"
            + "  case $__l in\n"
            + "    D*) __s=${__ORCH_NAGIOS_START:-$__now}; __e=$((__s + __sec))\n"
            + "        __line=\"[$__now] ${__l#D}$__s;$__e;1;0;$__sec;$__ORCH_NAGIOS_AUTHOR;"
            + "$__ORCH_NAGIOS_COMMENT\" ;;\n"
            + "    *) __line=\"[$__now] ${__l#N}\" ;;\n"
            + "  esac\n"
            + "  printf '%s\\n' \"$__line\" >\"$F\" || __svc_fail 'unable to write to nagios"
            + " command file'\n"
            + "  printf '@@cmd %s\\n' \"$__line\"\n"
            + "done 3<<__ORCH_NAGIOS_END__\n"
            + "$__ORCH_NAGIOS_LINES\n"
            + "__ORCH_NAGIOS_END__\n"
            + "exit 0\n";
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__ORCH_NAGIOS_CMDFILE", cmdfile.orElse(""));
    values.put("__ORCH_NAGIOS_LINES", String.join("\n", lines));
    values.put("__ORCH_NAGIOS_START", start.isPresent() ? String.valueOf(start.getAsLong()) : "");
    values.put("__ORCH_NAGIOS_MINUTES", String.valueOf(minutes));
    values.put("__ORCH_NAGIOS_AUTHOR", author);
    values.put("__ORCH_NAGIOS_COMMENT", comment);
    return new ShellTemplate(text, values);
  }

  /**
   * The outcome, with the module's result keys: {@code nagios_commands} (each line written), {@code
   * changed} (true), and on failure {@code msg} and {@code cmdfile}.
   */
  ModuleOutcome outcome(ExecResult result) {
    List<String> written = new ArrayList<>();
    String file = null;
    for (String line : result.stdout().split("\n", -1)) {
      if (line.startsWith("@@cmd ")) {
        written.add(line.substring(6).strip());
      } else if (line.startsWith("@@cmdfile=")) {
        file = line.substring(10);
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    if (result.succeeded()) {
      fields.put("nagios_commands", written);
      fields.put("changed", true);
    } else {
      fields.put("changed", false);
      if (file != null) {
        // a given file is reported as given: the host's line-based report would cut a name
        // holding a line break (one read from nagios.cfg, a line of it, cannot hold one)
        fields.put("cmdfile", cmdfile.orElse(file));
      }
    }
    return ScriptOutcome.of(result, "", fields, "nagios");
  }
}
