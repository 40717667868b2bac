package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code -i} sources and folders merged, and vars by Ansible 2.14's precedence (issue 14).
 */
class SeveralSourcesTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void laterSourcesAddHostsAndGroupsAndReplaceVars() throws IOException {
    // given a YAML file and an INI file sharing a group and a host
    Path base =
        write(
            "a/base.yml",
            "all:\n  children:\n    web:\n      hosts:\n        w1:\n        w2: {port_x: 1}\n"
                + "      vars: {listen: 80}\n");
    Path extra =
        write("b/extra.ini", "[web]\nw2 port_x=2\nw3\n\n[web:vars]\nlisten=8080\n\n[db]\nd1\n");
    // when both are loaded, in that order
    Inventory inv = InventoryLoader.load(List.of(base, extra));
    // then hosts are the union in first-listed order, groups merged, the later vars win
    assertEquals(List.of("w1", "w2", "w3", "d1"), List.copyOf(inv.hosts().keySet()));
    assertEquals(List.of("w1", "w2", "w3"), inv.groups().get("web"));
    assertEquals(2L, inv.host("w2").orElseThrow().vars().get("port_x"));
    assertEquals(8080L, inv.host("w1").orElseThrow().vars().get("listen"));
    assertEquals(List.of(base, extra), inv.sources());
    assertEquals(base + ", " + extra, inv.describe());
  }

  @Test
  void groupVarsFilesFollowAnsiblesPrecedenceAcrossSourcesAndThePlaybookFolder()
      throws IOException {
    // given an inventory with inline vars, group_vars/host_vars beside it, a second source's
    // folder with its own, and a playbook folder with its own
    Path inv =
        write(
            "inv/hosts.ini",
            "[app]\napp1 h=inline\n\n[app:vars]\nx=app-inline\ny=app-inline\n\n"
                + "[all:vars]\nx=all-inline\n");
    write("inv/group_vars/all.yml", "x: all-file\nz: all-file\n");
    write("inv/group_vars/app.yml", "y: app-file\nh: app-file\n");
    write("inv/host_vars/app1.yml", "h: host-file\n");
    Path second = write("second/more.yml", "all:\n  hosts:\n    app1:\n");
    write("second/group_vars/all.yml", "z: second-all-file\n");
    write("play/group_vars/all.yml", "z: play-all-file\nq: play\n");
    write("play/group_vars/app.yml", "y: play-app-file\n");
    write("play/host_vars/app1.yml", "h: play-host-file\n");
    // when loaded as ansible-inventory does (no playbook), and as ansible-playbook does
    var inventoryView = InventoryLoader.load(List.of(inv, second)).host("app1").orElseThrow();
    var playbookView =
        InventoryLoader.load(List.of(inv, second), Optional.of(dir.resolve("play")))
            .host("app1")
            .orElseThrow();
    // then group_vars/all beats a child group's inline vars, a later source's files beat an
    // earlier's, group files beat all files, host files beat inline host vars
    assertEquals("all-file", inventoryView.vars().get("x"));
    assertEquals("app-file", inventoryView.vars().get("y"));
    assertEquals("second-all-file", inventoryView.vars().get("z"));
    assertEquals("host-file", inventoryView.vars().get("h"));
    // and the playbook folder's files sit above the sources' at each level
    assertEquals("play-all-file", playbookView.vars().get("z"));
    assertEquals("play-app-file", playbookView.vars().get("y"));
    assertEquals("play-host-file", playbookView.vars().get("h"));
    assertEquals("play", playbookView.vars().get("q"));
  }

  @Test
  void aFoldersOwnGroupVarsAreReadButNotThoseOfItsSubFolders() throws IOException {
    // given an inventory folder with a sub-folder that has group_vars of its own
    write("inv/prod/hosts.yml", "prod:\n  hosts:\n    p1:\n");
    write("inv/group_vars/prod.yml", "read: true\n");
    write("inv/prod/group_vars/prod.yml", "not_read: true\n");
    // when the folder is loaded
    Inventory inv = InventoryLoader.load(dir.resolve("inv"));
    // then as Ansible: only the source folder's group_vars count
    assertEquals(java.util.Map.of("read", true), inv.host("p1").orElseThrow().vars());
  }
}
