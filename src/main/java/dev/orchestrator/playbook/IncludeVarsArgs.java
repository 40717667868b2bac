package dev.orchestrator.playbook;

import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the arguments of {@code include_vars} with the names of ansible-core 2.14's {@code
 * lib/ansible/modules/include_vars.py} and its action plugin {@code
 * plugins/action/include_vars.py}: the free form or {@code file} (a YAML file of the controller),
 * {@code name} (the file's vars under that one key). A relative file is looked for as the action
 * plugin's {@code _find_needle('vars', ...)} finds it ({@link FileModuleLoader#searchPath}: the
 * role's {@code vars/}, the task file's folder, the playbook's folder). A literal file is read now
 * ({@link IncludedVars#read}): its vars join the step's arguments ({@code _vars}), so an edit
 * changes the step's definition (noticed on resume). A templated file ({@code "{{ ansible_os_family
 * }}.yml"}) is found and read per host when the step runs ({@link IncludedVars#resolve}), from the
 * places recorded here ({@code _step_file}, {@code _playbook_dir}). {@code dir}, {@code
 * files_matching}, {@code ignore_files}, {@code depth}, {@code extensions}, {@code
 * ignore_unknown_extensions} and {@code hash_behaviour} are refused: name the file instead. A part
 * of {@link StepModules}.
 */
final class IncludeVarsArgs {
  /** The arguments of a whole folder (refused). */
  private static final Set<String> DIR =
      Set.of(
          "dir",
          "files_matching",
          "ignore_files",
          "depth",
          "extensions",
          "ignore_unknown_extensions",
          "hash_behaviour");

  private final ModuleArgReader reader;

  IncludeVarsArgs(ModuleArgReader reader) {
    this.reader = reader;
  }

  /**
   * Reads {@code include_vars: FILE} or {@code include_vars: {file: FILE, name: KEY}}.
   *
   * @param playbookDir the playbook's folder (where the file is looked for last)
   */
  Map<String, Object> read(YamlNode node, String where, Path playbookDir) {
    Map<String, Object> args = new LinkedHashMap<>();
    YamlNode file = node;
    if (node.isMapping()) {
      YamlMap m = node.asMap("include_vars");
      for (YamlMap.Entry e : m.entries()) {
        if (DIR.contains(e.name())) {
          throw e.key()
              .error(
                  where
                      + ": '"
                      + e.name()
                      + "' of include_vars is not supported (a folder of vars)",
                  "name each file: include_vars: {file: vars/main.yml}, one step per file");
        }
      }
      m.allowOnly(Set.of("file", "_raw_params", "free_form", "name"));
      file =
          m.get("file")
              .or(() -> m.get("_raw_params"))
              .or(() -> m.get("free_form"))
              .orElseThrow(
                  () -> node.error(where + " has no 'file'", "write include_vars: vars/main.yml"));
      if (m.get("name").isPresent()) {
        YamlNode n = m.get("name").get();
        String name = n.asString("name");
        if (!Step.IDENTIFIER.matcher(name).matches()) {
          throw n.error(
              where + ": invalid variable name '" + name + "' in 'name'",
              "use a variable name: letters, digits and '_', not starting with a digit");
        }
        args.put("name", name);
      }
    }
    String src = file.isScalar() && !file.isNull() ? file.asString("file").strip() : "";
    if (src.isEmpty()) {
      throw file.error(
          where + ": 'include_vars' needs a file", "write include_vars: vars/main.yml");
    }
    reader.check(file, src, where, "file");
    args.put("file", src);
    if (TemplateEngine.isTemplate(src)) {
      args.put("_step_file", file.file().toAbsolutePath().normalize().toString());
      args.put("_playbook_dir", playbookDir.toAbsolutePath().normalize().toString());
      return args;
    }
    List<Path> candidates = FileModuleLoader.searchPath(file.file(), playbookDir, "vars", src);
    Path found = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    if (found == null) {
      throw file.error(
          where + ": could not find or access '" + src + "' on the Ansible Controller",
          "looked in: " + String.join(", ", candidates.stream().map(Path::toString).toList()));
    }
    args.put("_source", found.toString());
    args.put("_vars", IncludedVars.read(found));
    return args;
  }
}
