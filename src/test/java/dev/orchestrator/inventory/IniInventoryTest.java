package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ansible's INI inventories as Ansible 2.14 reads them (without Ansible: InventoryParityIT). */
class IniInventoryTest {
  @TempDir Path dir;

  private Inventory load(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return InventoryLoader.load(file);
  }

  @Test
  void aFileWithoutExtensionWhoseFirstLineIsAHostWithAPortIsIni() throws IOException {
    // given a file named 'inventory' starting with host:port (YAML reads it as a plain string)
    Inventory inv = load("inventory", "web1.example.org:2222\n\n[db]\ndb1\n");
    // then it is read as INI, the port set
    assertEquals(List.of("web1.example.org", "db1"), List.copyOf(inv.hosts().keySet()));
    assertEquals(2222L, inv.host("web1.example.org").orElseThrow().vars().get("ansible_port"));
    assertEquals(2222, inv.host("web1.example.org").orElseThrow().connection().port());
  }

  @Test
  void aFileWithoutExtensionWhoseFirstLineIsARangeIsIni() throws IOException {
    Inventory inv = load("hosts", "node[1:2].lab\n[db]\ndb1\n");
    assertEquals(List.of("node1.lab", "node2.lab", "db1"), List.copyOf(inv.hosts().keySet()));
  }

  @Test
  void aYmlFileThatIsNotYamlFallsBackToIniAsAnsibleDoes() throws IOException {
    Inventory inv = load("hosts.yml", "[web]\nweb1\n\n[web:vars]\nhttp_port=80\n");
    assertEquals(80L, inv.host("web1").orElseThrow().vars().get("http_port"));
  }

  @Test
  void aBrokenYamlFileStillReportsItsYamlError() throws IOException {
    InputException e =
        assertThrows(
            InputException.class, () -> load("inventory", "all:\n  hosts:\n    web1: [\n"));
    assertTrue(e.getMessage().contains("YAML"), e.getMessage());
  }

  @Test
  void aYamlMappingWithoutExtensionStaysYaml() throws IOException {
    Inventory inv = load("inventory", "all:\n  hosts:\n    web1:\n      port_count: 08\n");
    assertEquals(List.of("web1"), List.copyOf(inv.hosts().keySet()));
  }

  @Test
  void aLinesPortIsSetWhereTheHostIsFirstListedAndAnExplicitPortWins() throws IOException {
    // given a host listed twice with different ports, another with a port and ansible_port
    Inventory inv =
        load(
            "hosts.ini",
            "[a]\nweb1\nweb2:2201 ansible_port=2202\n[b]\nweb1:2999\n[2001:db8::1]:2200\n");
    // then Ansible's rules: the port of the first listing only, the explicit var over the port
    assertEquals(null, inv.host("web1").orElseThrow().vars().get("ansible_port"));
    assertEquals(2202L, inv.host("web2").orElseThrow().vars().get("ansible_port"));
    assertEquals(2200L, inv.host("2001:db8::1").orElseThrow().vars().get("ansible_port"));
  }

  @Test
  void hostLineValuesAreSplitLikeAShellThenTypedAsPythonLiterals() throws IOException {
    Inventory inv =
        load(
            "hosts.ini",
            "h1 a=\"1\" b='[1, 2]' c=two\\ words d=\"'quoted'\" f=\"a b\" e=x#comment unseen=1\n"
                + "[all:vars]\n"
                + "g = hello # kept\n"
                + "h = 8 # dropped\n"
                + "i = {'k': None, 1: True}\n");
    Map<String, Object> vars = inv.host("h1").orElseThrow().vars();
    assertEquals(1L, vars.get("a"), "the shell's quotes go first, then 1 is a Python int");
    assertEquals(List.of(1L, 2L), vars.get("b"));
    assertEquals("two words", vars.get("c"));
    assertEquals("quoted", vars.get("d"));
    assertEquals("x", vars.get("e"));
    assertEquals("a b", vars.get("f"));
    assertEquals(null, vars.get("unseen"), "# starts a comment even inside a word");
    assertEquals("hello # kept", vars.get("g"), "a [group:vars] line is not split");
    assertEquals(8L, vars.get("h"));
    Map<String, Object> dict = new java.util.LinkedHashMap<>();
    dict.put("k", null);
    dict.put("1", true);
    assertEquals(dict, vars.get("i"));
  }

  @Test
  void legacySshNamesWinOverTheNewOnesAsInAnsible() throws IOException {
    Inventory inv =
        load(
            "hosts.ini",
            "old ansible_host=10.0.0.1 ansible_ssh_host=10.0.0.2 ansible_ssh_port=2222"
                + " ansible_port=22 ansible_ssh_user=admin ansible_user=deploy"
                + " ansible_ssh_pass=hunter22 ansible_become_pass=hunter33\n");
    Host old = inv.host("old").orElseThrow();
    assertEquals("10.0.0.2", old.connection().address());
    assertEquals(2222, old.connection().port());
    assertEquals("admin", old.connection().user());
    Map<String, Object> shown = Secrets.mask(old.vars());
    assertEquals(Secrets.MASK, shown.get("ansible_ssh_pass"));
    assertEquals(Secrets.MASK, shown.get("ansible_become_pass"));
    assertEquals("admin", shown.get("ansible_ssh_user"));
  }

  @Test
  void ungroupedIsAlwaysAGroupAsInAnsible() throws IOException {
    Inventory yaml = load("hosts.yml", "all:\n  children:\n    web:\n      hosts:\n        w1:\n");
    assertEquals(List.of(), yaml.groups().get("ungrouped"));
    assertEquals(List.of(), yaml.select("ungrouped"));
    Inventory ini = load("hosts.ini", "[all]\nloose\n[ungrouped]\nboth\n[web]\nboth\n");
    assertEquals(List.of("loose"), ini.groups().get("ungrouped"));
    assertEquals(List.of("loose", "both"), ini.groups().get("all"));
  }

  @Test
  void groupsMayBeNamedBeforeTheyAreDeclared() throws IOException {
    Inventory inv =
        load("hosts.ini", "[web:vars]\nport=80\n[prod:children]\nweb\n[web]\nw1\n[prod]\n");
    assertEquals(List.of("w1"), inv.groups().get("prod"));
    assertEquals(80L, inv.host("w1").orElseThrow().vars().get("port"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[a:children]\\nb\\n[a]\\nh1|2|'b', which is declared nowhere",
        "[web]\\nw1\\n[web:members]\\nw2|3|unknown type 'members'",
        "[web]\\nw1 motd=\"open|2|No closing quotation",
        "[web]\\nw1\\n[web:vars]\\nports={80, 443}|4|a set in Python",
        "[web]\\nw1\\n[db:vars]\\nport=1|3|[db:vars] is for a group that is declared nowhere",
        "[web]\\nw1:|2|ends with ':'",
        "[web]\\nw1 novalue|2|expected key=value, found 'novalue'",
        "[web]\\n[bad section]|2|invalid section",
      })
  void whatAnsibleRefusesIsRefusedNamingTheLine(String text, int line, String says)
      throws IOException {
    Path file = dir.resolve("hosts.ini");
    Files.writeString(file, text.replace("\\n", "\n") + "\n");
    InputException e = assertThrows(InputException.class, () -> InventoryLoader.load(file));
    assertTrue(e.getMessage().contains(file + ":" + line + ":1: "), e.getMessage());
    assertTrue(e.getMessage().contains(says), e.getMessage());
    assertTrue((e.getMessage() + e.hint()).contains("Ansible"), e.getMessage() + e.hint());
  }
}
