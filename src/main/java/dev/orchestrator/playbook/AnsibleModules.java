package dev.orchestrator.playbook;

import dev.orchestrator.common.Echo;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlNodes;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The module an Ansible task runs and its arguments, as our step's module key and arguments ({@link
 * AnsibleTasks}): the module named by the task's one non-keyword key, or by {@code action:}/{@code
 * local_action:}; {@code ansible.builtin.X} and {@code ansible.legacy.X} as {@code X}; free-form
 * {@code k=v} read by {@link dev.orchestrator.inventory.KeyValues}; {@code args:} merged under the
 * module's own arguments, which win (ansible-core 2.14 {@code parsing/mod_args.py}, {@code
 * _normalize_parameters}).
 */
final class AnsibleModules {
  /** Prefixes of Ansible's own modules' full names. */
  private static final List<String> BUILTIN = List.of("ansible.builtin.", "ansible.legacy.");

  /** Modules whose free-form text is the command, not {@code k=v} arguments. */
  private static final Set<String> RAW = Set.of("shell", "command", "raw", "script");

  private final Set<String> modules;

  /**
   * A reader that knows which modules our format runs.
   *
   * @param modules the step keys that name an action
   */
  AnsibleModules(Set<String> modules) {
    this.modules = modules;
  }

  /** The module a task runs, its arguments as a node, and what the rewrite adds around it. */
  record Action(
      YamlNode at,
      String module,
      YamlNode args,
      Optional<YamlNode> creates,
      boolean delegateToLocalhost) {
    boolean include() {
      return module.equals("import_steps") || module.equals("include_steps");
    }

    /** Whether it is {@code import_role}/{@code include_role} ({@link RoleImport}). */
    boolean role() {
      return RoleImport.KINDS.contains(module);
    }
  }

  Action action(YamlMap.Entry e, Optional<YamlMap.Entry> extra) {
    boolean local = e.name().equals("local_action");
    String written = e.name();
    YamlNode value = e.value();
    if (local || written.equals("action")) {
      if (value.isMapping()) {
        YamlMap v = value.asMap(written);
        YamlNode moduleNode = v.require("module");
        written = moduleNode.asString("module");
        List<Map.Entry<YamlNode, YamlNode>> rest = new ArrayList<>();
        for (YamlMap.Entry a : v.entries()) {
          if (!a.name().equals("module")) {
            rest.add(new AbstractMap.SimpleEntry<>(a.key(), a.value()));
          }
        }
        value = YamlNodes.mapping(value, rest);
      } else {
        String text = value.asString(written).strip();
        String[] parts = text.split("\\s+", 2);
        written = parts[0];
        value = YamlNodes.scalar(value, parts.length > 1 ? parts[1] : "");
      }
    }
    String module = shortName(written);
    YamlNode at = e.key();
    switch (module) {
      case "import_tasks", "include_tasks", "include" -> {
        YamlNode file = includedFile(value, module);
        return new Action(
            at,
            staticInclude(module, file) ? "import_steps" : "include_steps",
            file,
            Optional.empty(),
            local);
      }
      case "import_role", "include_role" -> {} // k=v or a mapping, below; RoleImport reads it
      case "meta" -> {
        return new Action(at, "meta", value, Optional.empty(), local);
      }
      default -> {}
    }
    boolean role = RoleImport.KINDS.contains(module);
    if (!role
        && (!modules.contains(module)
            || module.equals("upload")
            || module.equals("local_action"))) {
      throw at.error(
          "the module '" + written + "' is not supported by orchestrator",
          "supported modules: "
              + String.join(
                  ", ",
                  modules.stream()
                      .filter(x -> !x.equals("upload") && !x.equals("local_action"))
                      .sorted()
                      .toList())
              + " (short names or ansible.builtin.*); run it with 'shell:' meanwhile");
    }
    Map<String, YamlNode> args = new LinkedHashMap<>();
    extra.ifPresent(
        a -> a.value().asMap("args").entries().forEach(x -> args.put(x.name(), x.value())));
    Optional<String> raw = Optional.empty();
    if (value.isMapping()) {
      value.asMap(written).entries().forEach(x -> args.put(x.name(), x.value()));
    } else if (value.isNull()) {
      // no arguments
    } else {
      String text = value.asString(written);
      dev.orchestrator.inventory.KeyValues.Parsed kv;
      try {
        kv = dev.orchestrator.inventory.KeyValues.parse(text, RAW.contains(module));
      } catch (dev.orchestrator.common.InputException bad) {
        throw value.error(
            "cannot read the arguments of '" + written + "': " + Echo.bounded(bad.getMessage()),
            "write them as a YAML mapping under the module, one argument per line");
      }
      for (Map.Entry<String, String> a : kv.options().entrySet()) {
        args.put(a.getKey(), YamlNodes.scalar(value, a.getValue()));
      }
      if (!kv.rawParams().isEmpty()) {
        raw = Optional.of(dev.orchestrator.inventory.KeyValues.join(kv.rawParams()));
      }
    }
    if (RAW.contains(module)) {
      return rawAction(at, value, module, written, raw, args, local);
    }
    if (raw.isPresent() && module.equals("include_vars") && !args.containsKey("file")) {
      args.put("file", YamlNodes.scalar(value, raw.get())); // its free form is the file
      raw = Optional.empty();
    }
    if (raw.isPresent()) {
      throw value.error(
          "'" + written + "' takes key=value arguments; " + Echo.quote(raw.get()) + " is none",
          "write e.g. '" + module + ": key=value', or a YAML mapping under it");
    }
    List<Map.Entry<YamlNode, YamlNode>> out = new ArrayList<>();
    for (Map.Entry<String, YamlNode> a : args.entrySet()) {
      out.add(entry(a.getValue(), a.getKey(), a.getValue()));
    }
    return new Action(at, module, YamlNodes.mapping(value, out), Optional.empty(), local);
  }

  /** A module whose free-form text is the command ({@code shell}, {@code command}, ...). */
  private Action rawAction(
      YamlNode at,
      YamlNode value,
      String module,
      String written,
      Optional<String> raw,
      Map<String, YamlNode> args,
      boolean local) {
    args.remove("warn"); // ansible-core 2.14 ignores it (deprecated)
    YamlNode cmd = args.remove("cmd");
    if (cmd == null && raw.isPresent()) {
      cmd = YamlNodes.scalar(value, raw.get());
    }
    if (cmd == null && !args.containsKey("argv")) {
      throw value.error("'" + written + "' has no command", "write e.g. '" + module + ": CMD'");
    }
    boolean onlyCreates = args.keySet().stream().allMatch(k -> k.equals("creates"));
    if (module.equals("shell") && onlyCreates) {
      // our shell step's own text form, with the step's creates: as written before modules
      return new Action(at, module, cmd, Optional.ofNullable(args.get("creates")), local);
    }
    if (args.isEmpty() && cmd != null) {
      return new Action(at, module, cmd, Optional.empty(), local);
    }
    // the module's mapping form: cmd, chdir, creates, removes, stdin, ... (Ansible's names)
    List<Map.Entry<YamlNode, YamlNode>> out = new ArrayList<>();
    if (cmd != null) {
      out.add(entry(cmd, "cmd", cmd));
    }
    for (Map.Entry<String, YamlNode> a : args.entrySet()) {
      out.add(entry(a.getValue(), a.getKey(), a.getValue()));
    }
    return new Action(at, module, YamlNodes.mapping(value, out), Optional.empty(), local);
  }

  /**
   * Whether an include is static (our {@code import_steps}): {@code import_tasks} is, {@code
   * include_tasks} is not, and the old {@code include} (deprecated in ansible-core 2.14, removed in
   * 2.16) is static when its file is not a template, as {@code playbook/helpers.py}'s {@code
   * load_list_of_tasks} decides ({@code not templar.is_template(...) and t.all_parents_static() and
   * not t.loop}; a loop on an include is refused here, and an include inside a dynamic one is read
   * statically).
   */
  static boolean staticInclude(String module, YamlNode file) {
    return switch (module) {
      case "import_tasks" -> true;
      case "include_tasks" -> false;
      default ->
          !(file.isScalar()
              && dev.orchestrator.template.TemplateEngine.isTemplate(file.asString(module)));
    };
  }

  /** {@code include_tasks: FILE}, or its mapping form with {@code file:}. */
  private static YamlNode includedFile(YamlNode value, String module) {
    if (value.isMapping()) {
      YamlMap v = value.asMap(module);
      for (YamlMap.Entry e : v.entries()) {
        if (!e.name().equals("file") && !e.name().equals("_raw_params")) {
          throw e.key()
              .error(
                  "the argument '" + e.name() + "' of '" + module + "' is not supported",
                  "write '" + module + ": FILE'; put vars under the task's 'vars:'");
        }
      }
      return v.has("file") ? v.require("file") : v.require("_raw_params");
    }
    return value;
  }

  /** The collections' modules we run, by their full names. */
  private static final Map<String, String> COLLECTED =
      Map.of(
          "community.general.haproxy", "haproxy",
          "community.general.nagios", "nagios",
          "community.general.npm", "npm",
          "ansible.posix.seboolean", "seboolean");

  /**
   * The module's short name: {@code ansible.builtin.copy} is {@code copy}, {@code
   * community.general.haproxy} is {@code haproxy}.
   */
  static String shortName(String written) {
    if (COLLECTED.containsKey(written)) {
      return COLLECTED.get(written);
    }
    for (String prefix : BUILTIN) {
      if (written.startsWith(prefix)) {
        return written.substring(prefix.length());
      }
    }
    return written;
  }

  private static Map.Entry<YamlNode, YamlNode> entry(YamlNode at, String key, YamlNode value) {
    return new AbstractMap.SimpleEntry<>(YamlNodes.scalar(at, key), value);
  }
}
