package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlTyping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code group_vars/NAME} and {@code host_vars/NAME} files of a folder, found and merged as
 * Ansible 2.14's {@code host_group_vars} vars plugin does ({@code
 * lib/ansible/plugins/vars/host_group_vars.py}, {@code find_vars_files} in {@code
 * lib/ansible/parsing/dataloader.py}).
 *
 * <p>For a name, the first of {@code NAME}, {@code NAME.yml}, {@code NAME.yaml}, {@code NAME.json}
 * that exists is used, the others are not read. When it is a folder, every file in it and (a
 * sub-folder without an extension) its sub-folders, recursively, in sorted order (by code point),
 * except hidden names (a leading {@code .}), names ending in {@code ~} and files with an extension
 * other than {@code .yml}, {@code .yaml}, {@code .json}; a file without an extension is read. Every
 * file is YAML (JSON is read as YAML); an empty file adds nothing; the files are merged in order,
 * the later's top-level keys replacing the earlier's (Ansible's default {@code hash_behaviour:
 * replace}: a dict is replaced, not merged).
 *
 * <p>Names are looked up only as one path segment: a name that is {@code .}, {@code ..} or holds a
 * {@code /} has no vars files here (Ansible skips names starting with {@code /}, and would look
 * elsewhere for the others, outside the folder for {@code ..}).
 *
 * <p>Files are read once per instance (an inventory load), whatever the number of hosts.
 */
final class VarsFiles {
  private static final List<String> EXTENSIONS = List.of(".yml", ".yaml", ".json");

  private final Map<Path, Map<String, Object>> loaded = new HashMap<>();

  /**
   * The merged vars of one group or host from one folder's vars files.
   *
   * @param base the folder holding {@code group_vars/} and {@code host_vars/}
   * @param subdir {@code group_vars} or {@code host_vars}
   * @param name the group's or host's name
   * @return the vars, empty when there are no files
   * @throws InputException with the file's location when a file is not valid YAML or not a mapping
   */
  Map<String, Object> vars(Path base, String subdir, String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Path f : find(base.resolve(subdir), name)) {
      out.putAll(load(f, subdir, name));
    }
    return out;
  }

  /**
   * The vars files of a name in a {@code group_vars/} or {@code host_vars/} folder, in the order
   * they are merged.
   *
   * @param dir the {@code group_vars/} or {@code host_vars/} folder (need not exist)
   * @param name the group's or host's name
   * @return the files, possibly none
   */
  static List<Path> find(Path dir, String name) {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\0') >= 0
        || !Files.isDirectory(dir)) {
      return List.of();
    }
    for (String ext : List.of("", ".yml", ".yaml", ".json")) {
      Path p = dir.resolve(name + ext);
      if (Files.isDirectory(p)) {
        List<Path> out = new ArrayList<>();
        walk(p, out);
        return out;
      }
      if (Files.exists(p)) {
        return List.of(p);
      }
    }
    return List.of();
  }

  private static void walk(Path dir, List<Path> out) {
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries =
          list.sorted(
                  Comparator.comparing(
                      p -> p.getFileName().toString(), InventorySources.BY_CODE_POINT))
              .toList();
    } catch (IOException e) {
      throw new InputException(
          "cannot read " + dir + ": " + e.getMessage(), "check the folder's permissions");
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (name.startsWith(".") || name.endsWith("~")) {
        continue;
      }
      String ext = extension(name);
      if (Files.isDirectory(p)) {
        if (ext.isEmpty()) {
          walk(p, out);
        }
      } else if (Files.isRegularFile(p) && (ext.isEmpty() || EXTENSIONS.contains(ext))) {
        out.add(p);
      }
    }
  }

  /** Python's {@code os.path.splitext(name)[1]}: from the last dot, unless only dots precede it. */
  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    if (dot <= 0) {
      return "";
    }
    for (int i = 0; i < dot; i++) {
      if (name.charAt(i) != '.') {
        return name.substring(dot);
      }
    }
    return "";
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> load(Path file, String subdir, String name) {
    return loaded.computeIfAbsent(
        file,
        f -> {
          String kind = subdir.equals("host_vars") ? "host" : "group";
          YamlNode root = YamlDocument.load(f, kind + " vars", YamlTyping.PYYAML_1_1);
          if (root.isNull()) {
            return Map.of();
          }
          root.asMap(kind + " vars of '" + name + "'");
          return (Map<String, Object>) root.toPlain(name);
        });
  }
}
