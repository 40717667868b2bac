package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * community.general's {@code haproxy} module on the host, as a POSIX {@code sh} script speaking
 * HAProxy's runtime API on its stats Unix socket (HAProxy's management guide, "9.3. Unix Socket
 * commands": {@code show stat}, {@code show info}, {@code get weight}, {@code enable}/{@code
 * disable server}, {@code set server ... state drain}, {@code set weight}, {@code shutdown sessions
 * server}, several commands on one line separated by {@code ;}), in the steps of {@code
 * plugins/modules/haproxy.py} ({@code HAProxy.act}): the matching rows of {@code show stat}
 * (status, weight, scur) before; per backend (the one given, or every {@code BACKEND} row's) whose
 * server exists, one command line, then with {@code wait} polling until the status holds; the rows
 * after; {@code changed} when before and after differ. {@code drain} needs {@code show info}'s
 * version 1.5 or later, as there.
 *
 * <p>One connection per command, as the module opens one: with {@code socat} when the host has it
 * and the socket's path holds only characters socat's address syntax reads literally, else with
 * {@code python3} (the socket path and command as arguments); a host with neither fails with a
 * message saying so. Values are exported, never part of the text; server and backend names must be
 * HAProxy's name characters ({@code [A-Za-z0-9._:-]}, its {@code invalid_char}), so a name cannot
 * add commands to the line, where Ansible's module would send them.
 *
 * @param state {@code enabled}, {@code disabled} or {@code drain}
 * @param host the server's name in the backend
 * @param backend the backend, empty for every backend
 * @param weight the weight to set when enabling ({@code 10} or {@code 50%}), empty for none
 * @param socket the stats socket's path
 * @param flags {@code shutdown_sessions}, {@code fail_on_not_found}, {@code health}, {@code agent},
 *     {@code wait}, {@code drain}
 * @param waitRetries {@code wait_retries}
 * @param waitInterval {@code wait_interval}, in seconds
 */
record HaproxyModule(
    String state,
    String host,
    Optional<String> backend,
    Optional<String> weight,
    String socket,
    Flags flags,
    int waitRetries,
    int waitInterval) {
  /** HAProxy's name characters (its {@code invalid_char}). */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]+");

  private static final Pattern WEIGHT = Pattern.compile("\\d{1,3}%?");

  /**
   * The module's boolean arguments.
   *
   * @param shutdownSessions {@code shutdown_sessions}
   * @param failOnNotFound {@code fail_on_not_found}
   * @param health {@code health}
   * @param agent {@code agent}
   * @param waits {@code wait}
   * @param drain {@code drain}
   */
  record Flags(
      boolean shutdownSessions,
      boolean failOnNotFound,
      boolean health,
      boolean agent,
      boolean waits,
      boolean drain) {}

  /** Validates the fields. */
  HaproxyModule {
    if (!List.of("enabled", "disabled", "drain").contains(state)) {
      throw new IllegalArgumentException(
          "unknown state specified: '" + state + "' (enabled, disabled or drain)");
    }
    if (!NAME.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "'host' must be a HAProxy server name ([A-Za-z0-9._:-]), rendered '" + host + "'");
    }
    backend.ifPresent(
        b -> {
          if (!NAME.matcher(b).matches()) {
            throw new IllegalArgumentException(
                "'backend' must be a HAProxy backend name ([A-Za-z0-9._:-]), rendered '" + b + "'");
          }
        });
    weight.ifPresent(
        w -> {
          if (!WEIGHT.matcher(w).matches()) {
            throw new IllegalArgumentException(
                "'weight' must be a number 0 to 256, or a percentage like 50%, rendered '"
                    + w
                    + "'");
          }
        });
    if (socket.isEmpty()) {
      throw new IllegalArgumentException("unable to locate haproxy socket");
    }
    if (waitRetries < 0 || waitInterval < 0) {
      throw new IllegalArgumentException("wait_retries and wait_interval must not be negative");
    }
  }

  /** Reads the rendered arguments, with the module's defaults. */
  static HaproxyModule of(ModuleArgs args) {
    return new HaproxyModule(
        args.text("state").orElse(""),
        args.text("host").orElse(""),
        args.text("backend").filter(b -> !b.isEmpty()),
        args.text("weight").filter(w -> !w.isEmpty()),
        args.text("socket").orElse("/var/run/haproxy.sock"),
        new Flags(
            ModuleArgs.bool(args, "shutdown_sessions").orElse(false),
            ModuleArgs.bool(args, "fail_on_not_found").orElse(false),
            ModuleArgs.bool(args, "health").orElse(false),
            ModuleArgs.bool(args, "agent").orElse(false),
            ModuleArgs.bool(args, "wait").orElse(false),
            ModuleArgs.bool(args, "drain").orElse(false)),
        args.number("wait_retries", 25),
        args.number("wait_interval", 5));
  }

  /** What the step's log starts with. */
  String description() {
    return "haproxy " + state + " " + backend.orElse("*") + "/" + host;
  }

  /** The limit for the command: the waits, and two minutes. */
  Duration limit() {
    long waits = flags.waits() ? 2L * waitRetries * waitInterval : 0;
    return Duration.ofSeconds(120 + waits);
  }

  /** The script; every value is exported, never part of the text. */
  ShellTemplate script() {
    StringBuilder main = new StringBuilder();
    if (state.equals("enabled")) {
      main.append("__each __enabled UP\n");
    } else if (state.equals("disabled") && !flags.drain()) {
      main.append("__each __disabled MAINT\n");
    } else {
      main.append("if __since_1_5; then\n  __each __drain DRAIN\n");
      if (state.equals("disabled")) {
        main.append("  __each __disabled MAINT\n");
      }
      main.append("fi\n");
    }
    String text =
        ServiceScript.PRELUDE
            + HaproxyScript.TEXT
            + "__enabled() { printf '%s' \"get weight $1/$H; enable server $1/$H"
            + (flags.agent() ? "; enable agent $1/$H" : "")
            + (flags.health() ? "; enable health $1/$H" : "")
            + (weight.isPresent() ? "; set weight $1/$H $__ORCH_HAPROXY_WEIGHT" : "")
            + "\"; }\n"
            + "__disabled() { printf '%s' \"get weight $1/$H"
            + (flags.agent() ? "; disable agent $1/$H" : "")
            + (flags.health() ? "; disable health $1/$H" : "")
            + "; disable server $1/$H"
            + (flags.shutdownSessions() ? "; shutdown sessions server $1/$H" : "")
            + "\"; }\n"
            + "__drain() { printf '%s' \"set server $1/$H state drain\"; }\n"
            + "__rows \"$B\" >\"$__t/before\"\n"
            + "sed 's/^/@@before|/' \"$__t/before\"\n"
            + main
            + "__rows \"$B\" >\"$__t/after\"\n"
            + "sed 's/^/@@after|/' \"$__t/after\"\n"
            + "cmp -s \"$__t/before\" \"$__t/after\" || echo @@changed\n"
            + "exit 0\n";
    Map<String, String> values = new LinkedHashMap<>();
    values.put("__ORCH_HAPROXY_SOCKET", socket);
    values.put("__ORCH_HAPROXY_HOST", host);
    values.put("__ORCH_HAPROXY_BACKEND", backend.orElse(""));
    values.put("__ORCH_HAPROXY_WEIGHT", weight.orElse(""));
    values.put("__ORCH_HAPROXY_FAILNF", flags.failOnNotFound() ? "1" : "0");
    values.put("__ORCH_HAPROXY_WAIT", flags.waits() ? "1" : "0");
    values.put("__ORCH_HAPROXY_DRAIN", flags.drain() ? "1" : "0");
    values.put("__ORCH_HAPROXY_RETRIES", String.valueOf(waitRetries));
    values.put("__ORCH_HAPROXY_INTERVAL", String.valueOf(waitInterval));
    return new ShellTemplate(text, values);
  }

  /**
   * The outcome, with the module's result keys: {@code state_before}, {@code state_after} (the
   * server's rows, {@code status}/{@code weight}/{@code scur} each, or {@code null} when it has
   * none), {@code command} and {@code output} (each line sent and its answer, when any was sent),
   * {@code changed}.
   */
  ModuleOutcome outcome(ExecResult result) {
    List<Map<String, Object>> before = new ArrayList<>();
    List<Map<String, Object>> after = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    StringBuilder answer = new StringBuilder();
    boolean changed = false;
    for (String line : result.stdout().split("\n", -1)) {
      if (line.startsWith("@@before|")) {
        before.add(row(line.substring(9)));
      } else if (line.startsWith("@@after|")) {
        after.add(row(line.substring(8)));
      } else if (line.startsWith("@@command ")) {
        commands.add(line.substring(10));
        answer.setLength(0);
      } else if (line.startsWith("@@output|")) {
        answer.append(line.substring(9)).append('\n');
      } else if (line.equals("@@output-end")) {
        outputs.add(answer.toString().strip());
      } else if (line.equals("@@changed")) {
        changed = true;
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("state_before", before.isEmpty() ? null : before);
    if (!commands.isEmpty()) {
      fields.put("command", commands);
      fields.put("output", outputs);
    }
    if (result.succeeded()) {
      fields.put("state_after", after.isEmpty() ? null : after);
    }
    fields.put("changed", changed && result.succeeded());
    return ScriptOutcome.of(result, "", fields, "haproxy");
  }

  private static Map<String, Object> row(String tabbed) {
    String[] f = tabbed.split("\t", -1);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("status", f[0]);
    row.put("weight", f.length > 1 ? f[1] : "");
    row.put("scur", f.length > 2 ? f[2] : "");
    return row;
  }
}
