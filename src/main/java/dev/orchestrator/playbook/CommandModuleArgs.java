package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the arguments of the modules that run a command or look at the host, {@code command},
 * {@code raw}, {@code ping} and {@code stat}, with the argument names and defaults of ansible-core
 * 2.14's {@code lib/ansible/modules/command.py}, {@code raw.py}, {@code ping.py} and {@code
 * stat.py}; a part of {@link StepModules}. An argument the module does not have, or one we do not
 * support, is refused here naming the supported ones.
 */
final class CommandModuleArgs {
  /** {@code command}'s arguments (its {@code argument_spec}, without the internal ones). */
  static final Set<String> COMMAND =
      Set.of(
          "cmd",
          "argv",
          "chdir",
          "creates",
          "removes",
          "stdin",
          "stdin_add_newline",
          "strip_empty_ends");

  /** {@code stat}'s arguments we support. */
  static final Set<String> STAT = Set.of("path", "follow", "get_checksum", "checksum_algorithm");

  /** The checksum algorithms of {@code stat} that a POSIX host has a tool for. */
  static final Set<String> CHECKSUMS =
      Set.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512");

  private final ModuleArgReader reader;

  CommandModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /**
   * Reads the arguments of {@code module}, one of {@code command}, {@code raw}, {@code ping},
   * {@code stat}.
   */
  Map<String, Object> read(String module, YamlNode node, String where) {
    return switch (module) {
      case "command" -> command(node, where);
      case "shell" -> shell(node, where);
      case "raw" -> raw(node, where);
      case "ping" -> ping(node, where);
      default -> stat(node, where);
    };
  }

  private Map<String, Object> command(YamlNode node, String where) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (node.isScalar() && !node.isNull()) {
      args.put("cmd", reader.templated(node, where, "cmd"));
      return args;
    }
    YamlMap m =
        allowOnly(
            node, where, "command", COMMAND, "write e.g. command: {argv: [ls, -l], chdir: /srv}");
    if (m.has("cmd") && m.has("argv")) {
      throw m.entry("argv")
          .orElseThrow()
          .key()
          .error(
              where + " has both 'cmd' and 'argv'",
              "only command or argv can be given, not both (Ansible's rule)");
    }
    if (m.get("cmd").isPresent()) {
      YamlNode c = m.get("cmd").get();
      if (!c.isScalar() || c.isNull() || c.asString("cmd").isBlank()) {
        throw c.error(where + ": 'cmd' must be a command line", "write e.g. cmd: ls -l /srv");
      }
      args.put("cmd", reader.templated(c, where, "cmd"));
    } else if (m.get("argv").isPresent()) {
      YamlNode a = m.get("argv").get();
      if (!a.isSequence() || a.asList("argv").isEmpty()) {
        throw a.error(where + ": 'argv' must be a non-empty list", "write e.g. argv: [ls, -l]");
      }
      List<Object> words = new ArrayList<>();
      for (YamlNode w : a.asList("argv")) {
        if (!w.isScalar() || w.isNull()) {
          throw w.error(where + ": each 'argv' word must be a value", "write e.g. argv: [ls, -l]");
        }
        words.add(reader.templated(w, where, "argv"));
      }
      args.put("argv", words);
    } else {
      throw node.error(
          where + " gives no command (no command given)",
          "write the command line (command: ls -l), or cmd: or argv:");
    }
    for (String key : List.of("chdir", "creates", "removes", "stdin")) {
      m.get(key).ifPresent(v -> args.put(key, reader.templated(v, where, key)));
    }
    for (String key : List.of("stdin_add_newline", "strip_empty_ends")) {
      args.put(key, m.get(key).map(v -> v.asBoolean(key)).orElse(true));
    }
    return args;
  }

  /**
   * {@code shell}'s mapping form ({@code lib/ansible/modules/shell.py}: {@code command} with a
   * shell): {@code cmd} and {@code command}'s arguments but {@code argv}; {@code executable} only
   * as {@code /bin/sh}, the shell that reads every step.
   */
  private Map<String, Object> shell(YamlNode node, String where) {
    Set<String> keys = new java.util.HashSet<>(COMMAND);
    keys.remove("argv");
    keys.add("executable");
    YamlMap m = allowOnly(node, where, "shell", keys, "write e.g. shell: {cmd: make, chdir: /srv}");
    m.get("executable")
        .filter(v -> !v.asString("executable").equals("/bin/sh"))
        .ifPresent(
            v -> {
              throw v.error(
                  where
                      + ": shell's executable '"
                      + v.asString("executable")
                      + "' is not supported",
                  "the host's /bin/sh runs it; to use another shell, run it in cmd (e.g. cmd:"
                      + " bash ./script.sh)");
            });
    Map<String, Object> args = new LinkedHashMap<>();
    YamlNode c = m.get("cmd").orElse(null);
    if (c == null || !c.isScalar() || c.isNull() || c.asString("cmd").isBlank()) {
      throw node.error(
          where + ": shell has no 'cmd' (no command given)", "write cmd: make install");
    }
    args.put("cmd", reader.templated(c, where, "cmd"));
    for (String key : List.of("chdir", "creates", "removes", "stdin")) {
      m.get(key).ifPresent(v -> args.put(key, reader.templated(v, where, key)));
    }
    for (String key : List.of("stdin_add_newline", "strip_empty_ends")) {
      args.put(key, m.get(key).map(v -> v.asBoolean(key)).orElse(true));
    }
    return args;
  }

  private Map<String, Object> raw(YamlNode node, String where) {
    if (!node.isScalar() || node.isNull() || node.asString("raw").isBlank()) {
      throw node.error(
          where + ": 'raw' takes the command as text",
          "write e.g. raw: uname -a ('executable' is not supported: the host's /bin/sh runs it)");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("cmd", reader.templated(node, where, "raw"));
    return args;
  }

  private Map<String, Object> ping(YamlNode node, String where) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (!node.isNull()) {
      YamlMap m =
          allowOnly(node, where, "ping", Set.of("data"), "write ping: or ping: {data: pong}");
      m.get("data").ifPresent(v -> args.put("data", reader.templated(v, where, "data")));
    }
    args.putIfAbsent("data", "pong");
    return args;
  }

  private Map<String, Object> stat(YamlNode node, String where) {
    YamlMap m = allowOnly(node, where, "stat", STAT, "write e.g. stat: {path: /etc/app.conf}");
    if (m.get("path").isEmpty() || m.get("path").get().isNull()) {
      throw node.error(where + " has no 'path'", "write stat: {path: /etc/app.conf}");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("path", reader.templated(m.get("path").get(), where, "path"));
    args.put("follow", m.get("follow").map(v -> v.asBoolean("follow")).orElse(false));
    args.put(
        "get_checksum", m.get("get_checksum").map(v -> v.asBoolean("get_checksum")).orElse(true));
    String algorithm =
        m.get("checksum_algorithm").map(v -> v.asString("checksum_algorithm")).orElse("sha1");
    if (!CHECKSUMS.contains(algorithm)) {
      throw m.get("checksum_algorithm")
          .get()
          .error(
              where + ": unknown checksum_algorithm '" + algorithm + "'",
              "write one of: " + String.join(", ", new TreeSet<>(CHECKSUMS)));
    }
    args.put("checksum_algorithm", algorithm);
    return args;
  }

  /** The module's mapping, refusing a key it does not have with the list of those it has. */
  private static YamlMap allowOnly(
      YamlNode node, String where, String module, Set<String> keys, String example) {
    YamlMap m = ModuleArgReader.map(node, module, example);
    for (YamlMap.Entry e : m.entries()) {
      if (!keys.contains(e.name())) {
        throw e.key()
            .error(
                where
                    + ": '"
                    + module
                    + "' has no argument '"
                    + e.name()
                    + "' (or we do not support it)",
                "the supported arguments are: " + String.join(", ", new TreeSet<>(keys)));
      }
    }
    return m;
  }
}
