package dev.orchestrator.playbook;

import dev.orchestrator.template.PythonPattern;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the arguments of {@code file}, {@code lineinfile}, {@code blockinfile} and {@code replace}
 * with the names, aliases and choices of ansible-core 2.14's {@code lib/ansible/modules/file.py},
 * {@code lineinfile.py}, {@code blockinfile.py} and {@code replace.py} (aliases are stored under
 * the argument's own name: {@code dest} as {@code path}); a part of {@link StepModules}. A regular
 * expression that is not a template is compiled now ({@link PythonPattern}), so that one Java would
 * read differently from Python is refused at its {@code file:line:column}. Arguments we do not
 * support ({@code validate}, {@code unsafe_writes}, SELinux and {@code attributes}, {@code
 * encoding} other than utf-8, {@code modification_time}/{@code access_time}) are refused by name.
 */
final class FileEditArgs {
  private static final Set<String> FILE_ATTRS = Set.of("mode", "owner", "group");

  private static final Map<String, List<String>> ALIASES =
      Map.of(
          "path", List.of("dest", "destfile", "name"),
          "regexp", List.of("regex"),
          "line", List.of("value"),
          "block", List.of("content"));

  /** {@code lineinfile}'s arguments (names and aliases). */
  static final Set<String> LINEINFILE =
      with(
          "path",
          "line",
          "regexp",
          "search_string",
          "state",
          "insertafter",
          "insertbefore",
          "backrefs",
          "create",
          "backup",
          "firstmatch");

  /** {@code blockinfile}'s arguments. */
  static final Set<String> BLOCKINFILE =
      with(
          "path",
          "block",
          "marker",
          "marker_begin",
          "marker_end",
          "state",
          "insertafter",
          "insertbefore",
          "create",
          "backup");

  /** {@code replace}'s arguments. */
  static final Set<String> REPLACE =
      with("path", "regexp", "replace", "after", "before", "backup", "encoding");

  /** {@code file}'s arguments. */
  static final Set<String> FILE =
      with("path", "state", "src", "recurse", "force", "follow").stream()
          .filter(k -> !k.equals("destfile"))
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private static final Set<String> FILE_STATES =
      Set.of("file", "directory", "link", "hard", "touch", "absent");

  private static final Set<String> BOOLEANS =
      Set.of("backrefs", "create", "backup", "firstmatch", "recurse", "force", "follow");

  private static Set<String> with(String... names) {
    Set<String> out = new java.util.HashSet<>(FILE_ATTRS);
    for (String n : names) {
      out.add(n);
      out.addAll(ALIASES.getOrDefault(n, List.of()));
    }
    return Set.copyOf(out);
  }

  private final ModuleArgReader reader;

  FileEditArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /** Reads the arguments of {@code module}: file, lineinfile, blockinfile or replace. */
  Map<String, Object> read(String module, YamlNode node, String where) {
    Set<String> allowed =
        switch (module) {
          case "lineinfile" -> LINEINFILE;
          case "blockinfile" -> BLOCKINFILE;
          case "replace" -> REPLACE;
          default -> FILE;
        };
    YamlMap m =
        ModuleArgReader.map(node, module, "write e.g. " + module + ": {path: /etc/app.conf, ...}");
    for (YamlMap.Entry e : m.entries()) {
      if (!allowed.contains(e.name())) {
        throw e.key()
            .error(
                where + ": '" + module + "' has no argument '" + e.name() + "' that we support",
                "supported: "
                    + String.join(", ", new java.util.TreeSet<>(allowed))
                    + " (Ansible's validate, unsafe_writes, attributes, SELinux and time"
                    + " arguments are not supported)");
      }
    }
    Map<String, Object> args = new LinkedHashMap<>();
    for (YamlMap.Entry e : m.entries()) {
      String name = canonical(e.name());
      if (args.containsKey(name)) {
        throw e.key()
            .error(
                where + " gives '" + name + "' twice (as '" + e.name() + "' and an alias)",
                "keep one of them");
      }
      args.put(name, value(e, name, where));
    }
    if (!args.containsKey("path")) {
      throw node.error(where + ": '" + module + "' needs 'path'", "write path: /etc/app.conf");
    }
    check(module, m, args, where);
    return args;
  }

  private static String canonical(String name) {
    for (Map.Entry<String, List<String>> a : ALIASES.entrySet()) {
      if (a.getValue().contains(name)) {
        return a.getKey();
      }
    }
    return name;
  }

  private Object value(YamlMap.Entry e, String name, String where) {
    YamlNode v = e.value();
    if (BOOLEANS.contains(name)) {
      return reader.bool(v, where, e.name());
    }
    if (name.equals("mode")) {
      String raw = v.asString("mode");
      try {
        if (v.isInt()) {
          return FileMode.ofYamlInt(raw).text();
        }
        if (TemplateEngine.isTemplate(raw)) {
          reader.check(v, raw, where, "mode");
          return raw;
        }
        return new FileMode(raw).text();
      } catch (IllegalArgumentException x) {
        throw v.error(where + ": " + x.getMessage(), "e.g. mode: \"0644\" or mode: u=rw,g=r,o=r");
      }
    }
    if (!v.isScalar()) {
      throw v.error(where + ": '" + e.name() + "' must be text", "write one value");
    }
    String text = v.isNull() ? "" : v.asString(e.name());
    reader.check(v, text, where, e.name());
    return text;
  }

  private static Optional<YamlNode> node(YamlMap m, String name) {
    for (String k : List.of(name)) {
      if (m.has(k)) {
        return m.get(k);
      }
    }
    for (String alias : ALIASES.getOrDefault(name, List.of())) {
      if (m.has(alias)) {
        return m.get(alias);
      }
    }
    return Optional.empty();
  }

  private static void check(String module, YamlMap m, Map<String, Object> args, String where) {
    for (String pair : List.of("insertafter|insertbefore", "regexp|search_string")) {
      String[] two = pair.split("\\|");
      if (args.containsKey(two[0]) && args.containsKey(two[1])) {
        throw node(m, two[1])
            .orElseThrow()
            .error(where + ": parameters are mutually exclusive: " + pair, "give one of them");
      }
    }
    Set<String> states = module.equals("file") ? FILE_STATES : Set.of("present", "absent");
    if (args.get("state") instanceof String s
        && !TemplateEngine.isTemplate(s)
        && !states.contains(s)) {
      throw node(m, "state")
          .orElseThrow()
          .error(
              where
                  + ": value of state must be one of: "
                  + String.join(", ", new java.util.TreeSet<>(states))
                  + ", got: "
                  + s,
              "write one of them");
    }
    if (module.equals("replace") && !args.containsKey("regexp")) {
      throw m.node().error(where + ": 'replace' needs 'regexp'", "write regexp: PATTERN");
    }
    if (args.get("encoding") instanceof String enc
        && !enc.toLowerCase(java.util.Locale.ROOT)
            .replace("-", "")
            .replace("_", "")
            .equals("utf8")) {
      throw node(m, "encoding")
          .orElseThrow()
          .error(where + ": only encoding utf-8 is supported", "remove 'encoding'");
    }
    boolean bytes = !module.equals("replace");
    for (String pattern : List.of("regexp", "insertafter", "insertbefore", "after", "before")) {
      if (args.get(pattern) instanceof String p
          && !TemplateEngine.isTemplate(p)
          && !(pattern.startsWith("insert") && (p.equals("EOF") || p.equals("BOF")))) {
        try {
          PythonPattern.compile(p, bytes, 0);
        } catch (IllegalArgumentException x) {
          throw node(m, pattern)
              .orElseThrow()
              .error(
                  where + ": " + x.getMessage(),
                  "write the pattern in the syntax both engines share");
        }
      }
    }
    if (module.equals("lineinfile")
        && Boolean.TRUE.equals(args.get("backrefs"))
        && !args.containsKey("regexp")) {
      throw m.node().error(where + ": regexp is required with backrefs=true", "add regexp:");
    }
  }
}
