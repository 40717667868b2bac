package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlTyping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A playbook's {@code vars_files:}, read as Ansible's play {@code vars_files}
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#defining-variables-in-included-files-and-roles;
 * {@code get_vars} in {@code lib/ansible/vars/manager.py}): each item is a file name, or a list of
 * names of which the first that exists is read; names may be templates; files are read in order, a
 * later file's top-level keys replacing an earlier one's. Names are relative to the playbook's
 * folder.
 *
 * <p>Where we differ: a name is rendered with the playbook's and the roles' variables and {@code
 * -e} only, not with inventory variables or facts, so that every host of a run reads the same files
 * (a plan is one set of files); and a missing file is an error (Ansible ignores one whose name
 * cannot be rendered without a host).
 *
 * <p>The files are read once per distinct set of names (a plan renders them for every host).
 */
public final class VarsFilesList {
  /**
   * One item of {@code vars_files}.
   *
   * @param alternatives the names, as written; the first that exists is read
   * @param location where the item is written
   */
  public record Item(List<String> alternatives, SourceLocation location) {
    /** Validates the fields. */
    public Item {
      alternatives = List.copyOf(alternatives);
      Objects.requireNonNull(location, "location");
      if (alternatives.isEmpty()) {
        throw new IllegalArgumentException("a vars_files item names at least one file");
      }
    }
  }

  /** No {@code vars_files}. */
  public static final VarsFilesList NONE = new VarsFilesList(Path.of("."), List.of());

  private final Path base;
  private final List<Item> items;
  private final Map<List<Path>, Map<String, Object>> read = new ConcurrentHashMap<>();
  private final TemplateEngine templates = new TemplateEngine();

  /**
   * Creates the list.
   *
   * @param base the playbook's folder, which names are relative to
   * @param items the items, in order
   */
  public VarsFilesList(Path base, List<Item> items) {
    this.base = Objects.requireNonNull(base, "base");
    this.items = List.copyOf(items);
  }

  /**
   * Reads a playbook's {@code vars_files:} list: names, or lists of alternative names.
   *
   * @param playbook the playbook file (names are relative to its folder)
   * @param node the list
   * @throws InputException at an item that is neither
   */
  static VarsFilesList read(Path playbook, dev.orchestrator.yaml.YamlNode node) {
    List<Item> items = new ArrayList<>();
    for (YamlNode item : node.asList("vars_files")) {
      List<String> names = new ArrayList<>();
      for (YamlNode n : item.isSequence() ? item.asList("vars_files") : List.of(item)) {
        String name = n.asString("vars_files");
        if (name.isBlank()) {
          throw n.error("an empty vars_files name", "name a YAML file of variables");
        }
        names.add(name);
      }
      if (names.isEmpty()) {
        throw item.error("an empty list of vars files", "name at least one file");
      }
      items.add(new Item(names, item.location()));
    }
    return new VarsFilesList(StepFiles.folder(playbook), items);
  }

  /** Returns the items, in order. */
  public List<Item> items() {
    return items;
  }

  /**
   * Returns the variables of the files, merged in order.
   *
   * @param vars what the names are rendered with (playbook vars, role vars, {@code -e})
   * @throws InputException at the item when a name cannot be rendered, no file of an item exists,
   *     or a file is not a YAML mapping (or is too large, not UTF-8, ...: README "Input limits")
   */
  public Map<String, Object> vars(Map<String, Object> vars) {
    if (items.isEmpty()) {
      return Map.of();
    }
    List<Path> files = new ArrayList<>();
    for (Item item : items) {
      files.add(find(item, vars));
    }
    return read.computeIfAbsent(List.copyOf(files), VarsFilesList::load);
  }

  private Path find(Item item, Map<String, Object> vars) {
    List<String> tried = new ArrayList<>();
    for (String name : item.alternatives()) {
      String rendered;
      try {
        rendered = templates.render(name, vars).trim();
      } catch (TemplateException e) {
        throw new InputException(
            item.location(),
            "vars_files name '" + name + "': " + e.getMessage(),
            "vars_files names may use the playbook's vars, the roles' vars and -e, not inventory"
                + " vars (every host reads the same files)");
      }
      Path file = rendered.isEmpty() ? null : base.resolve(rendered).normalize();
      if (file != null && Files.isRegularFile(file)) {
        return file;
      }
      tried.add(rendered.isEmpty() ? "(empty name)" : String.valueOf(file));
    }
    throw new InputException(
        item.location(),
        (tried.size() == 1 ? "vars file " : "none of the vars files ")
            + String.join(", ", tried)
            + (tried.size() == 1 ? " does not exist" : " exists"),
        "create it, fix the name (relative to the playbook's folder), or list alternatives: - [a.yml,"
            + " default.yml]");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(List<Path> files) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Path f : files) {
      YamlNode root = YamlDocument.load(f, "vars file", YamlTyping.PYYAML_1_1);
      if (root.isNull()) {
        continue;
      }
      root.asMap("a vars file");
      out.putAll((Map<String, Object>) root.toPlain("vars file"));
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
