package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ansible's {@code systemd} ({@code systemd_service}) and {@code service} modules on the host, as a
 * POSIX {@code sh} script ({@link ServiceScript}) that runs {@code systemctl}, {@code service} or
 * the init script as ansible-core 2.14's {@code lib/ansible/modules/systemd.py} and {@code
 * service.py} do, with their {@code changed} rules: {@code started} on a running unit and {@code
 * stopped} on a stopped one change nothing; {@code restarted} always changes; {@code reloaded}
 * reloads a running unit and starts a stopped one; {@code enabled} and {@code masked} change only
 * when {@code systemctl is-enabled} says otherwise. {@code service} uses systemd's logic on a host
 * that runs systemd ({@code systemctl} found and {@code /run/systemd/system/} present, or PID 1
 * being systemd: Ansible's {@code service_mgr} fact and {@code check_systemd}), else the init
 * script through the {@code service} command. The unit's name reaches the shell as an exported
 * value, never as code. The script reports back on stdout: {@code |KEY=VALUE} lines ({@code
 * systemctl show}), {@code @@changed}, {@code @@enabled=B}, {@code @@state=S}; a failure is
 * Ansible's message on stderr and exit 1.
 *
 * @param module {@code systemd} or {@code service} ({@code systemd_service} is {@code systemd})
 * @param name the unit or service, empty for none (systemd: {@code daemon_reload} only)
 * @param state {@code started}, {@code stopped}, {@code restarted}, {@code reloaded}, or empty
 * @param enabled whether it starts at boot, empty to leave it
 * @param masked whether it is masked (systemd), empty to leave it
 * @param daemonReload whether {@code systemctl daemon-reload} runs first
 * @param daemonReexec whether {@code systemctl daemon-reexec} runs first
 * @param flags {@code systemctl}'s options from {@code scope}, {@code no_block}, {@code force}
 * @param sleep seconds between stop and start of a restart through an init script
 */
record ServiceModule(
    String module,
    String name,
    String state,
    Optional<Boolean> enabled,
    Optional<Boolean> masked,
    boolean daemonReload,
    boolean daemonReexec,
    List<String> flags,
    int sleep) {
  /** The options {@code systemctl} may be given here, nothing else reaches the script's text. */
  private static final List<String> FLAGS = List.of("--user", "--global", "--no-block", "--force");

  /** Validates the fields. */
  ServiceModule {
    if (!module.equals("systemd") && !module.equals("service")) {
      throw new IllegalArgumentException("not a service module: " + module);
    }
    if (!List.of("", "started", "stopped", "restarted", "reloaded").contains(state)) {
      throw new IllegalArgumentException(
          "state must be started, stopped, restarted or reloaded, rendered '" + state + "'");
    }
    if (!FLAGS.containsAll(flags)) {
      throw new IllegalArgumentException("unknown systemctl option in " + flags);
    }
    flags = List.copyOf(flags);
    if (sleep < 0) {
      throw new IllegalArgumentException("sleep must not be negative");
    }
  }

  /** Reads the rendered arguments, with Ansible's defaults. */
  static ServiceModule of(String module, ModuleArgs args) {
    String m = module.equals("systemd_service") ? "systemd" : module;
    List<String> flags = new ArrayList<>();
    String scope = args.text("scope").orElse("system");
    if (!scope.equals("system")) {
      flags.add("--" + scope);
    }
    if (ModuleArgs.bool(args, "no_block").orElse(false)) {
      flags.add("--no-block");
    }
    if (ModuleArgs.bool(args, "force").orElse(false)) {
      flags.add("--force");
    }
    String name = args.text("name").orElse("");
    for (String glob : List.of("*", "?", "[")) {
      if (m.equals("systemd") && name.contains(glob)) {
        throw new IllegalArgumentException(
            "This module does not currently support using glob patterns, found '"
                + glob
                + "' in service name: "
                + name);
      }
    }
    return new ServiceModule(
        m,
        name,
        args.text("state").orElse(""),
        ModuleArgs.bool(args, "enabled"),
        ModuleArgs.bool(args, "masked"),
        ModuleArgs.bool(args, "daemon_reload").orElse(false),
        ModuleArgs.bool(args, "daemon_reexec").orElse(false),
        flags,
        args.number("sleep", 0));
  }

  /** What the step's log starts with. */
  String description() {
    StringBuilder s = new StringBuilder(module);
    if (!name.isEmpty()) {
      s.append(' ').append(name);
    }
    if (!state.isEmpty()) {
      s.append(" state=").append(state);
    }
    enabled.ifPresent(e -> s.append(" enabled=").append(e));
    masked.ifPresent(e -> s.append(" masked=").append(e));
    if (daemonReload) {
      s.append(" daemon_reload");
    }
    return s.toString();
  }

  /** The limit for the command: service commands are quick, an init script may take a while. */
  Duration limit() {
    return Duration.ofSeconds(300L + sleep);
  }

  /** The script; the name is exported, never part of the text. */
  ShellTemplate script() {
    return ServiceScript.of(this);
  }

  /** The outcome of the script's result, with the module's result keys. */
  ModuleOutcome outcome(ExecResult result) {
    Map<String, Object> fields = new LinkedHashMap<>();
    boolean changed = false;
    Optional<String> enabledNow = Optional.empty();
    Optional<String> stateNow = Optional.empty();
    List<String> show = new ArrayList<>();
    boolean systemd = false;
    StringBuilder rest = new StringBuilder(); // what the commands printed: the init script's
    for (String line : result.stdout().split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      } else if (line.startsWith("|")) {
        show.add(line.substring(1));
      } else if (line.equals("@@systemd")) {
        systemd = true;
      } else if (line.equals("@@changed")) {
        changed = true;
      } else if (line.startsWith("@@enabled=")) {
        enabledNow = Optional.of(line.substring(10));
      } else if (line.startsWith("@@state=")) {
        stateNow = Optional.of(line.substring(8));
      } else {
        rest.append(line).append('\n');
      }
    }
    fields.put("name", name.isEmpty() ? null : name);
    fields.put("changed", changed);
    if (systemd) {
      fields.put("status", parseShow(show));
    }
    enabledNow.ifPresent(e -> fields.put("enabled", Boolean.parseBoolean(e)));
    stateNow.ifPresent(s -> fields.put("state", s));
    if (result.succeeded()) {
      return new ModuleOutcome(
          new ExecResult(0, rest.toString(), result.stderr(), result.duration(), false), fields);
    }
    String message = message(result, module);
    fields.put("msg", message);
    return new ModuleOutcome(
        new ExecResult(
            result.exitCode() == 0 ? 1 : result.exitCode(),
            rest.toString(),
            message.endsWith("\n") ? message : message + "\n",
            result.duration(),
            result.timedOut()),
        fields);
  }

  /**
   * The message the script failed with: its stderr from the last {@code @@msg} marker on, with the
   * final line break of a command's output that ends it, as Ansible's message keeps it
   * ({@code @@nl}).
   */
  static String message(ExecResult result, String module) {
    if (result.timedOut()) {
      return "the step's timeout ended " + module;
    }
    if (result.stderr().strip().isEmpty()) {
      return module + " failed with exit code " + result.exitCode();
    }
    return lastMessage(result.stderr());
  }

  /** What a script printed on stderr before its {@code @@msg}: the commands' own stderr. */
  static String beforeMessage(String stderr) {
    int at = stderr.lastIndexOf("@@msg ");
    return at < 0 ? stderr : stderr.substring(0, at);
  }

  private static String lastMessage(String stderr) {
    int at = stderr.lastIndexOf("@@msg ");
    String message = at < 0 ? stderr : stderr.substring(at + 6);
    if (message.endsWith("\n@@nl\n")) {
      return message.substring(0, message.length() - "\n@@nl\n".length()) + "\n";
    }
    return message.strip();
  }

  /**
   * {@code systemctl show}'s lines as a map, as {@code parse_systemctl_show} in ansible-core's
   * {@code systemd.py}: {@code KEY=VALUE}, the value stripped; only a value of a key starting with
   * {@code Exec} that opens a {@code {} and does not close it goes on until a line ending in {@code
   * }}.
   */
  static Map<String, String> parseShow(List<String> lines) {
    Map<String, String> parsed = new LinkedHashMap<>();
    String key = null;
    List<String> multi = new ArrayList<>();
    for (String line : lines) {
      if (key == null) {
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String k = line.substring(0, eq);
        String v = line.substring(eq + 1);
        if (k.startsWith("Exec") && v.stripLeading().startsWith("{") && !v.strip().endsWith("}")) {
          key = k;
          multi.add(v);
          continue;
        }
        parsed.put(k, v.strip());
      } else {
        multi.add(line);
        if (line.stripTrailing().endsWith("}")) {
          parsed.put(key, String.join("\n", multi).strip());
          multi.clear();
          key = null;
        }
      }
    }
    return parsed;
  }
}
