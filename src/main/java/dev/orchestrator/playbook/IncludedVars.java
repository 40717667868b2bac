package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlTyping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vars an {@code include_vars} step reads from a YAML file of the controller (<a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/include_vars_module.html">include_vars</a>,
 * ansible-core 2.14 {@code plugins/action/include_vars.py}): a mapping of variable names, read with
 * PyYAML's typing, each error at its {@code file:line:column}. A literal file is read when the
 * playbook loads ({@link IncludeVarsArgs}); a templated one is found per host when the step runs
 * ({@link #resolve}).
 *
 * <p>Where we differ from Ansible: a templated file name, once rendered, must name a file inside
 * the role's, the step file's or the playbook's folder (symbolic links resolved), as a templated
 * {@code template.src} must: a value rendered per host may come from facts or the inventory and
 * would otherwise read any file of the controller. A literal name (reviewed in the playbook) may
 * name any file.
 */
public final class IncludedVars {
  private IncludedVars() {}

  /**
   * Reads a vars file: a mapping (an empty file gives no vars) whose keys are variable names.
   *
   * @throws InputException when it cannot be read, is not YAML, not a mapping, or a key is not a
   *     variable name (with its {@code file:line:column})
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> read(Path file) {
    YamlNode root = YamlDocument.load(file, "vars file", YamlTyping.PYYAML_1_1);
    if (root.isNull()) {
      return Map.of();
    }
    if (!root.isMapping()) {
      throw root.error(
          "the vars file " + file + " is not a mapping",
          "write 'name: value' pairs at the top level of the file");
    }
    YamlMap m = root.asMap("vars file");
    for (YamlMap.Entry e : m.entries()) {
      if (!Step.IDENTIFIER.matcher(e.name()).matches()) {
        throw e.key()
            .error(
                "invalid variable name '" + e.name() + "' in " + file,
                "use a variable name: letters, digits and '_', not starting with a digit");
      }
    }
    return new LinkedHashMap<>((Map<String, Object>) root.toPlain("vars file"));
  }

  /**
   * Finds and reads the file a templated {@code include_vars} names once rendered for a host.
   *
   * @param args the step's arguments (with {@code _step_file} and {@code _playbook_dir})
   * @param rendered the file's name rendered with the host's vars
   * @return the file found and its vars
   * @throws IllegalArgumentException when it is empty, absolute, not found, outside the role's, the
   *     step file's and the playbook's folders, or cannot be read
   */
  public static Map.Entry<Path, Map<String, Object>> resolve(
      Map<String, Object> args, String rendered) {
    String src = rendered.strip();
    if (src.isEmpty() || src.indexOf('\0') >= 0 || Path.of(src).isAbsolute()) {
      throw new IllegalArgumentException(
          "include_vars: '"
              + args.get("file")
              + "' renders empty or as an absolute path; a templated file names a file of the"
              + " role or the playbook (write an absolute path literally)");
    }
    Path stepFile = Path.of(String.valueOf(args.get("_step_file")));
    Path playbookDir = Path.of(String.valueOf(args.get("_playbook_dir")));
    List<Path> candidates = FileModuleLoader.searchPath(stepFile, playbookDir, "vars", src);
    Path found = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    if (found == null) {
      throw new IllegalArgumentException(
          "include_vars: could not find or access '"
              + src
              + "'; looked in: "
              + String.join(", ", candidates.stream().map(Path::toString).toList()));
    }
    try {
      Path real = found.toRealPath();
      if (FileSources.roots(stepFile, playbookDir).stream().noneMatch(real::startsWith)) {
        throw new IllegalArgumentException(
            "include_vars: '"
                + src
                + "' is outside the role's and the playbook's folders; a templated file names a"
                + " file inside them (write another path literally: it is read at load)");
      }
      return Map.entry(found, read(found));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + found + ": " + e.getMessage());
    } catch (InputException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /**
   * The variable names a templated {@code include_vars} may set, for a plan that cannot render its
   * file's name yet (a fact's value): the names of every YAML file of the {@code vars/} folders it
   * may name a file in (the role's, the step file's, the playbook's); unreadable files are left out
   * (the run reports them).
   */
  public static java.util.Set<String> possibleNames(Map<String, Object> args) {
    Path stepFile = Path.of(String.valueOf(args.get("_step_file")));
    Path playbookDir = Path.of(String.valueOf(args.get("_playbook_dir")));
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (Path dir :
        FileModuleLoader.searchPath(stepFile, playbookDir, "vars", "x").stream()
            .map(Path::getParent)
            .filter(d -> d.getFileName() != null && d.getFileName().toString().equals("vars"))
            .filter(Files::isDirectory)
            .distinct()
            .toList()) {
      try (var files = Files.list(dir)) {
        for (Path f : files.filter(x -> x.toString().matches(".*\\.(ya?ml|json)$")).toList()) {
          try {
            names.addAll(read(f).keySet());
          } catch (InputException e) {
            // reported by the run if this is the file the name renders to
          }
        }
      } catch (IOException e) {
        // an unreadable folder: nothing to predict from it
      }
    }
    return names;
  }
}
