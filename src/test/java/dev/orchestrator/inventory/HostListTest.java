package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -i web1,web2,}: an inline host list, as Ansible's {@code host_list} plugin (checked with
 * {@code ansible-inventory -i hosts.ini -i 'web1:2300, new:2222 ,,' --list} and {@code -i
 * 'web[1:2],[::1]:2022,'}).
 */
class HostListTest {
  @TempDir Path dir;

  @Test
  void oneHostWithATrailingComma() {
    // given -i web1, ; when loaded; then one host, ungrouped, port 22
    Inventory inv = InventoryLoader.load(List.of(Path.of("web1,")));
    assertEquals(List.of("web1"), List.copyOf(inv.hosts().keySet()));
    assertEquals(List.of("web1"), inv.groups().get("ungrouped"));
    assertEquals(22, inv.host("web1").orElseThrow().connection().port());
  }

  @Test
  void portsEmptyPartsAndSpacesAsAnsible() {
    // given hosts with ports, spaces and empty parts, an IPv6 address and a range (kept as written)
    Inventory inv = InventoryLoader.load(List.of(Path.of("a:2222, b ,,[::1]:2022,web[1:2],")));
    // then the hosts, in order, with their ports
    assertEquals(List.of("a", "b", "::1", "web[1:2]"), List.copyOf(inv.hosts().keySet()));
    assertEquals(2222, inv.host("a").orElseThrow().connection().port());
    assertEquals(2022, inv.host("::1").orElseThrow().connection().port());
    assertEquals(22, inv.host("b").orElseThrow().connection().port());
  }

  @Test
  void mixedWithAFileAKnownHostKeepsItsFirstListing() throws IOException {
    // given an INI file listing web1 on port 2200, then a host list naming web1 again and new
    Path ini = Files.writeString(dir.resolve("hosts.ini"), "[web]\nweb1 ansible_port=2200\n");
    Inventory inv = InventoryLoader.load(List.of(ini, Path.of("web1:2300, new:2222 ,,")));
    // then web1 keeps the file's port and group; new is ungrouped
    assertEquals(2200, inv.host("web1").orElseThrow().connection().port());
    assertEquals(List.of("web1"), inv.groups().get("web"));
    assertEquals(List.of("new"), inv.groups().get("ungrouped"));
    assertEquals(2222, inv.host("new").orElseThrow().connection().port());
  }

  @Test
  void anExistingFileWithACommaIsAFile() throws IOException {
    // given a file whose name holds a comma; then it is a file, not a host list
    Path f = Files.writeString(dir.resolve("a,b.ini"), "[g]\nh1\n");
    assertFalse(HostList.is(f));
    assertTrue(HostList.is(Path.of("h1,h2")));
    assertEquals(List.of("h1"), List.copyOf(InventoryLoader.load(List.of(f)).hosts().keySet()));
  }
}
