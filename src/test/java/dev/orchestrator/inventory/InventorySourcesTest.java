package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which files an {@code -i} folder stands for, as Ansible 2.14's inventory manager finds them
 * (issue 14): sorted, sub-folders recursively, its ignore rules; inventory scripts refused.
 */
class InventorySourcesTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void aFolderIsEveryFileInItSortedAndRecursiveSkippingWhatAnsibleSkips() throws IOException {
    // given a folder with inventory files, a sub-folder, and entries Ansible skips
    String hosts = "all:\n  hosts:\n    h:\n";
    for (String skipped :
        List.of(
            ".hidden.yml",
            "old.ini",
            "README.md",
            "hosts.yml.bak",
            "hosts.retry",
            "hosts.cfg",
            "hosts.orig",
            "notes.txt",
            "hosts~",
            "group_vars/all.yml",
            "host_vars/h.yml",
            "vars_plugins/x.yml",
            "sub/group_vars/all.yml",
            ".git-like/hosts.yml")) {
      write(skipped, hosts);
    }
    Path b = write("b.yml", hosts);
    Path a = write("a", hosts);
    Path upper = write("Z.yaml", hosts);
    Path inner = write("sub/c.yml", hosts);
    // when the folder is expanded
    List<Path> files = InventorySources.files(dir);
    // then the files are those Ansible reads, in its order (code point order: 'Z' before 'a')
    assertEquals(List.of(upper, a, b, inner), files);
    assertEquals(dir.toAbsolutePath().normalize(), InventorySources.varsBase(dir));
    assertEquals(dir.toAbsolutePath().normalize(), InventorySources.varsBase(b));
  }

  @Test
  void aFileIsItselfAnIniFileIncludedWhenGivenDirectly() throws IOException {
    // given an .ini file (skipped inside a folder)
    Path ini = write("hosts.ini", "[web]\nweb1\n");
    // when it is the source itself, then it is read
    assertEquals(List.of(ini), InventorySources.files(ini));
  }

  @Test
  void aFolderWithoutInventoryFilesIsRefusedWithWhatAnsibleSkips() throws IOException {
    // given a folder holding only what Ansible skips
    write("README.md", "# hosts\n");
    write("hosts.ini", "[web]\nweb1\n");
    // when it is expanded, then the error names it and says what is skipped
    InputException e = assertThrows(InputException.class, () -> InventorySources.files(dir));
    assertTrue(e.getMessage().contains(dir + " holds no inventory file"), e.getMessage());
    assertTrue(e.hint().contains(".ini"), e.hint());
  }

  @Test
  void anExecutableScriptIsRefusedButANonExecutableShebangFileIsRead() throws IOException {
    // given an executable inventory script and a non-executable file starting with #!
    Path script = write("inventory.py", "#!/usr/bin/env python3\nprint('{}')\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path notRunnable = write("plain.yml", "#!not run\nall:\n  hosts:\n    h:\n");
    // when each is a source, then the script is refused, naming it and what Ansible would do
    InputException e = assertThrows(InputException.class, () -> InventorySources.files(script));
    assertTrue(e.getMessage().contains("inventory.py") && e.getMessage().contains("script"));
    assertTrue(e.hint().contains("Ansible would run it"), e.hint());
    // and the file Ansible cannot run is read as Ansible falls back to (YAML/INI)
    assertEquals(List.of(notRunnable), InventorySources.files(notRunnable));
  }
}
