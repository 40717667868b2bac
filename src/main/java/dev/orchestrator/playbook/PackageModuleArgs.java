package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of {@code package}, {@code apt}, {@code yum} and {@code dnf} as ansible-core
 * 2.14's modules declare them ({@code lib/ansible/modules/apt.py}'s {@code argument_spec}, {@code
 * module_utils/yumdnf.py}'s {@code yumdnf_argument_spec}, {@code modules/package.py}), their
 * aliases read as the argument they name ({@code pkg}/{@code package} as {@code name}, {@code
 * update-cache} as {@code update_cache}...); a part of {@link StepModules}. An argument of
 * Ansible's that we do not run ({@code deb}, {@code upgrade}, {@code exclude}...) is refused naming
 * it and what we run.
 */
public final class PackageModuleArgs {
  /** Each argument we run, by module; the aliases map onto these. */
  private static final Map<String, List<String>> ARGS =
      Map.of(
          "apt",
          List.of(
              "name",
              "state",
              "update_cache",
              "cache_valid_time",
              "purge",
              "autoremove",
              "install_recommends"),
          "yum",
          List.of(
              "name", "state", "update_cache", "enablerepo", "disablerepo", "disable_gpg_check"),
          "package",
          List.of(
              "name",
              "state",
              "use",
              "update_cache",
              "cache_valid_time",
              "purge",
              "autoremove",
              "install_recommends",
              "enablerepo",
              "disablerepo",
              "disable_gpg_check"));

  /** Ansible's aliases. */
  private static final Map<String, String> ALIASES =
      Map.of(
          "pkg", "name",
          "package", "name",
          "update-cache", "update_cache",
          "expire-cache", "update_cache",
          "install-recommends", "install_recommends");

  private static final Set<String> BOOLEANS =
      Set.of("update_cache", "purge", "autoremove", "install_recommends", "disable_gpg_check");

  private final ModuleArgReader reader;

  /**
   * The arguments we run of {@code module} ({@code apt}, {@code yum}, {@code dnf} or {@code
   * package}), by their names (not their aliases).
   */
  public static Set<String> arguments(String module) {
    return Set.copyOf(ARGS.get(module.equals("dnf") ? "yum" : module));
  }

  PackageModuleArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /** The arguments of {@code module}: {@code package}, {@code apt}, {@code yum} or {@code dnf}. */
  Map<String, Object> read(String module, YamlNode node, String where) {
    String example =
        module.equals("apt")
            ? "write e.g. apt: {name: nginx, state: present, update_cache: true}"
            : "write e.g. " + module + ": {name: [httpd, mod_ssl], state: present}";
    YamlMap m = ModuleArgReader.map(node, module, example);
    List<String> takes = ARGS.get(module.equals("dnf") ? "yum" : module);
    Map<String, Object> args = new LinkedHashMap<>();
    for (YamlMap.Entry e : m.entries()) {
      String name = ALIASES.getOrDefault(e.name(), e.name());
      boolean alias = !name.equals(e.name());
      if (!takes.contains(name)
          || (alias && e.name().equals("package") && !module.equals("apt"))
          || (e.name().equals("expire-cache") && module.equals("apt"))) {
        throw e.key()
            .error(
                where + ": '" + e.name() + "' of " + module + " is not supported",
                "the arguments run here: "
                    + String.join(", ", takes.stream().sorted().toList())
                    + " (README, Modules)");
      }
      if (args.containsKey(name)) {
        throw e.key()
            .error(where + " gives '" + name + "' twice (with an alias)", "keep one of them");
      }
      if (e.value().isNull()) {
        continue; // Ansible's None: the default
      }
      args.put(name, value(module, name, e.value(), where));
    }
    boolean names = args.containsKey("name");
    if (!names
        && !args.containsKey("update_cache")
        && !args.containsKey("autoremove")
        && !args.containsKey("cache_valid_time")) {
      throw node.error(
          where + " names no package",
          "name them: name: [nginx, curl]"
              + (module.equals("package") ? "" : ", or give update_cache: true"));
    }
    return args;
  }

  private Object value(String module, String name, YamlNode v, String where) {
    if (BOOLEANS.contains(name)) {
      return reader.bool(v, where, name);
    }
    return switch (name) {
      case "cache_valid_time" -> reader.number(v, where, name, 0, Integer.MAX_VALUE);
      case "state" -> state(module, v, where);
      case "use" -> use(v, where);
      default -> names(v, where, name);
    };
  }

  private Object state(String module, YamlNode v, String where) {
    String s = v.isScalar() ? v.asString("state") : "";
    if (TemplateEngine.isTemplate(s)) {
      reader.check(v, s, where, "state");
      return s;
    }
    List<String> ok =
        switch (module) {
          case "apt" -> List.of("absent", "latest", "present");
          case "package" -> List.of("absent", "installed", "latest", "present", "removed");
          default -> List.of("absent", "installed", "latest", "present", "removed");
        };
    if (!ok.contains(s)) {
      throw v.error(
          where + ": unknown state '" + s + "' of " + module,
          "write one of: "
              + String.join(", ", ok)
              + (module.equals("apt") && List.of("installed", "removed").contains(s)
                  ? " (apt.py has no '" + s + "': Ansible refuses it too)"
                  : ""));
    }
    return s;
  }

  private Object use(YamlNode v, String where) {
    String s = v.isScalar() ? v.asString("use") : "";
    if (TemplateEngine.isTemplate(s)) {
      reader.check(v, s, where, "use");
      return s;
    }
    if (!List.of("auto", "apt", "dnf", "yum").contains(s)) {
      throw v.error(
          where + ": 'use: " + s + "' is not supported",
          "write one of: auto, apt, dnf, yum (the managers run here)");
    }
    return s;
  }

  /** A list of texts: a list, or a text (split at commas when the step runs), templates checked. */
  private Object names(YamlNode v, String where, String field) {
    if (!v.isScalar() && !v.isSequence()) {
      throw v.error(
          where + ": '" + field + "' must be a name or a list of names",
          "write e.g. " + field + ": [nginx, curl]");
    }
    if (v.isSequence()) {
      for (YamlNode item : v.asList(field)) {
        if (!item.isScalar() || item.isNull()) {
          throw item.error(
              where + ": '" + field + "' must list names", "write e.g. " + field + ": [nginx]");
        }
      }
    }
    return reader.templated(v, where, field);
  }
}
