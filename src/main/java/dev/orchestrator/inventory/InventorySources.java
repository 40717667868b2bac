package dev.orchestrator.inventory;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The inventory files that {@code -i} sources stand for, as Ansible 2.14's inventory manager finds
 * them ({@code parse_sources}/{@code parse_source} in {@code lib/ansible/inventory/manager.py}).
 *
 * <p>A file is itself. A folder stands for every entry in it, in sorted order (by name, byte-wise
 * as Python sorts {@code os.listdir} of bytes), sub-folders recursively, except what Ansible skips
 * with its default settings: names starting with {@code .}, the folders {@code group_vars}, {@code
 * host_vars} and {@code vars_plugins} (at any depth), and names ending in one of {@link
 * #IGNORED_EXTENSIONS} ({@code INVENTORY_IGNORE_EXTS}: {@code REJECT_EXTS} plus {@code .orig},
 * {@code .ini}, {@code .cfg}, {@code .retry}; so an {@code .ini} file given with {@code -i} is
 * read, but not one inside a folder given with {@code -i}).
 *
 * <p>The {@code group_vars/} and {@code host_vars/} of a source are those of its folder (a folder
 * source's own, a file source's folder): {@link #varsBase(Path)}, as {@code
 * get_vars_from_inventory_sources} in {@code lib/ansible/vars/plugins.py}. Those of a sub-folder of
 * a folder source are not read (Ansible does not either).
 */
public final class InventorySources {
  /**
   * The file name endings Ansible skips in an inventory folder: its {@code INVENTORY_IGNORE_EXTS}
   * default ({@code lib/ansible/config/base.yml}).
   */
  public static final List<String> IGNORED_EXTENSIONS =
      List.of(
          ".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst", ".orig", ".ini",
          ".cfg", ".retry");

  /** The names Ansible always skips in an inventory folder ({@code IGNORED_ALWAYS}). */
  private static final Pattern IGNORED_ALWAYS =
      Pattern.compile("^\\.|^host_vars$|^group_vars$|^vars_plugins$");

  /** Orders file names as Python orders the bytes of their UTF-8 names (by code point). */
  static final Comparator<String> BY_CODE_POINT =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
      };

  private InventorySources() {}

  /**
   * Whether Ansible skips this entry of an inventory folder.
   *
   * @param name the entry's file name (no folder)
   */
  public static boolean ignored(String name) {
    return IGNORED_ALWAYS.matcher(name).find()
        || IGNORED_EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  /**
   * The inventory files a source stands for, in the order Ansible reads them.
   *
   * @param source a file or a folder given with {@code -i}
   * @return the files, at least one (a source that does not exist is itself: reading it reports
   *     that)
   * @throws InputException when a folder holds no inventory file, or a file is an executable
   *     inventory script (Ansible would run it; orchestrator runs none)
   */
  public static List<Path> files(Path source) {
    List<Path> out = new ArrayList<>();
    collect(source, out);
    if (out.isEmpty()) {
      throw new InputException(
          "the inventory folder " + source + " holds no inventory file",
          "add a YAML or INI inventory file to it (Ansible skips hidden files, group_vars/,"
              + " host_vars/ and the extensions "
              + String.join(" ", IGNORED_EXTENSIONS)
              + "; it would find no hosts either)");
    }
    return out;
  }

  /**
   * The folder whose {@code group_vars/} and {@code host_vars/} belong to a source.
   *
   * @param source a file or a folder given with {@code -i}
   * @return the folder itself, or the file's folder, absolute
   */
  public static Path varsBase(Path source) {
    Path abs = source.toAbsolutePath().normalize();
    return Files.isDirectory(abs) ? abs : abs.getParent();
  }

  private static void collect(Path path, List<Path> out) {
    if (!Files.isDirectory(path)) {
      refuseScript(path);
      out.add(path);
      return;
    }
    List<Path> entries;
    try (Stream<Path> list = Files.list(path)) {
      entries =
          list.sorted(Comparator.comparing(p -> p.getFileName().toString(), BY_CODE_POINT))
              .toList();
    } catch (IOException e) {
      throw new InputException(
          "cannot read the inventory folder " + path + ": " + e.getMessage(),
          "check the folder's permissions");
    }
    for (Path entry : entries) {
      if (!ignored(entry.getFileName().toString())) {
        collect(entry, out);
      }
    }
  }

  /**
   * Refuses an executable file that starts with {@code #!}: Ansible's script plugin would run it
   * and read its output ({@code lib/ansible/plugins/inventory/script.py}); orchestrator runs no
   * inventory script. A file that cannot run (not executable, or no {@code #!}) fails in that
   * plugin and Ansible reads it as YAML or INI, as here.
   */
  private static void refuseScript(Path file) {
    if (!Files.isExecutable(file)) {
      return;
    }
    byte[] head = new byte[2];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 2);
    } catch (IOException e) {
      return; // reported when the file is read
    }
    if (n == 2 && head[0] == '#' && head[1] == '!') {
      throw new InputException(
          new dev.orchestrator.common.SourceLocation(file, 1, 1),
          "the inventory file " + file + " is a script (it starts with #!)",
          "Ansible would run it and read the inventory it prints; orchestrator does not run"
              + " inventory scripts: save its output (ansible-inventory -i "
              + file.getFileName()
              + " --list -y > inventory.yml) and use that");
    }
  }
}
