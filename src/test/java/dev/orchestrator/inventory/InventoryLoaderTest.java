package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryLoaderTest {
  @TempDir Path dir;

  private Inventory load(String yaml) throws IOException {
    Path file = dir.resolve("hosts.yml");
    Files.writeString(file, yaml);
    return InventoryLoader.load(file);
  }

  private static final String FLEET =
      """
      all:
        vars:
          user: deploy
          color: all
          db_password: hunter2
        children:
          qa:
            hosts:
              qa1:
                ansible_host: 10.0.0.1
            vars:
              color: qa
          production:
            children:
              eu:
                hosts:
                  web1:
                  web2:
                    port: 2222
                    color: host
                vars:
                  color: eu
              us:
                hosts:
                  web3:
                    connection: local
            vars:
              color: production
      """;

  @Test
  void readsAnsibleYamlStructure() throws IOException {
    Inventory inv = load(FLEET);
    assertEquals(List.of("qa1", "web1", "web2", "web3"), List.copyOf(inv.hosts().keySet()));
    assertEquals(List.of("web1", "web2", "web3"), inv.groups().get("production"));
    assertEquals(List.of("all", "production", "eu"), inv.host("web1").orElseThrow().groups());
  }

  @Test
  void childGroupVarsOverrideParentsAndHostVarsOverrideGroups() throws IOException {
    Inventory inv = load(FLEET);
    assertEquals("eu", inv.host("web1").orElseThrow().vars().get("color"));
    assertEquals("host", inv.host("web2").orElseThrow().vars().get("color"));
    assertEquals("production", inv.host("web3").orElseThrow().vars().get("color"));
    assertEquals("qa", inv.host("qa1").orElseThrow().vars().get("color"));
  }

  @Test
  void connectionVars() throws IOException {
    Inventory inv = load(FLEET);
    ConnectionSpec qa1 = inv.host("qa1").orElseThrow().connection();
    assertEquals(
        new ConnectionSpec(ConnectionType.SSH, "10.0.0.1", 22, "deploy", Optional.empty()), qa1);
    assertEquals(2222, inv.host("web2").orElseThrow().connection().port());
    assertEquals("web2", inv.host("web2").orElseThrow().connection().address());
    assertEquals(ConnectionType.LOCAL, inv.host("web3").orElseThrow().connection().type());
  }

  @Test
  void groupVarsAndHostVarsFoldersBesideTheInventory() throws IOException {
    Files.createDirectories(dir.resolve("group_vars/eu"));
    Files.writeString(dir.resolve("group_vars/eu/main.yml"), "color: from-group-vars\nextra: 1\n");
    Files.createDirectories(dir.resolve("host_vars"));
    Files.writeString(
        dir.resolve("host_vars/web2.yml"), "color: from-host-vars\nprivate_key_file: keys/id\n");
    Inventory inv = load(FLEET);
    assertEquals("from-group-vars", inv.host("web1").orElseThrow().vars().get("color"));
    assertEquals(1L, inv.host("web1").orElseThrow().vars().get("extra"));
    assertEquals("from-host-vars", inv.host("web2").orElseThrow().vars().get("color"));
    assertEquals(
        Optional.of(dir.toAbsolutePath().resolve("keys/id")),
        inv.host("web2").orElseThrow().connection().privateKeyFile());
  }

  @Test
  void hostPatterns() throws IOException {
    Inventory inv = load(FLEET);
    assertEquals(List.of("qa1", "web3"), names(inv.select("qa:us")));
    assertEquals(List.of("web1", "web2"), names(inv.select("production:!us")));
    assertEquals(List.of("web2"), names(inv.select("production:&eu:!web1")));
    assertEquals(List.of("web1", "web2", "web3"), names(inv.select("web*")));
    assertEquals(4, inv.select("all").size());
    InputException e = assertThrows(InputException.class, () -> inv.select("prod"));
    assertTrue(
        e.getMessage().contains("names 'prod', which is neither a host nor a group"),
        e.getMessage());
  }

  @Test
  void subscriptsPickFromATermsHostsAsAnsible() throws IOException {
    // given production = web1, web2, web3 (eu's, then us's)
    Inventory inv = load(FLEET);

    // then indexes, negative indexes, open and end-inclusive slices pick as Ansible does
    assertEquals(List.of("web1"), names(inv.select("production[0]")));
    assertEquals(List.of("web3"), names(inv.select("production[-1]")));
    assertEquals(List.of("web2", "web3"), names(inv.select("production[1:]")));
    assertEquals(List.of("web1", "web2"), names(inv.select("production[0:1]")));
    assertEquals(List.of("web1", "web2", "web3"), names(inv.select("production[0:2]")));
    assertEquals(List.of("web1", "web2", "web3"), names(inv.select("production[0:9]")));
    assertEquals(List.of("web2"), names(inv.select("production[1:0]")), "end 0: [start]");
    assertEquals(List.of(), names(inv.select("production[3:]")));
    assertEquals(List.of("web2"), names(inv.select("web*[1]")));
    // combined with ':' unions, intersections and exclusions, brackets keep their ':'
    assertEquals(List.of("qa1", "web2", "web3"), names(inv.select("qa:production[1:]")));
    assertEquals(List.of("web3"), names(inv.select("production[1:]:!eu")));
    assertEquals(List.of("web2"), names(inv.select("production:&production[1:1]")));
    assertEquals(List.of("qa1", "web1"), names(inv.select("qa,production[0]")));

    // and an index beyond the hosts is an error naming the term and the count
    InputException e = assertThrows(InputException.class, () -> inv.select("production[3]"));
    assertTrue(
        e.getMessage().contains("no host matched the subscripted pattern 'production[3]'"),
        e.getMessage());
    assertTrue(e.hint().contains("has 3 host(s)"), e.hint());
    assertThrows(InputException.class, () -> inv.select("production[-4]"));
  }

  @Test
  void unknownKeyInAGroupIsAWarningAndIgnoredAsAnsibleDoes() throws IOException {
    Inventory inv = load("all:\n  hosts:\n    a:\n  host:\n    b:\n  hostvars: text\nversion: 2\n");

    assertEquals(List.of("a"), List.copyOf(inv.hosts().keySet()), "what the key holds is ignored");
    assertEquals(3, inv.warnings().size(), inv.warnings().toString());
    assertTrue(
        inv.warnings()
            .get(0)
            .toString()
            .contains("hosts.yml:4:3: unknown key 'host' in group 'all': Ansible ignores it"),
        inv.warnings().toString());
    assertTrue(inv.warnings().get(0).message().endsWith("did you mean 'hosts'?"));
    assertTrue(
        inv.warnings().get(1).toString().contains("hosts.yml:6:3: unknown key 'hostvars'"),
        inv.warnings().toString());
    assertTrue(
        inv.warnings()
            .get(2)
            .toString()
            .contains("hosts.yml:7:1: 'version' is not a group (its value is not a mapping)"),
        inv.warnings().toString());
    assertFalse(inv.groups().containsKey("version"));
  }

  @Test
  void yamlHostKeysTakeRangesAndAPortThatTheFirstListingSets() throws IOException {
    Inventory inv =
        load(
            """
            all:
              children:
                blue:
                  hosts:
                    web[01:03:2]:2222:
                      tier: front
                    db[a:b]:
                    app1:
                green:
                  hosts:
                    web01:2299:
                    app1:2201:
                    pinned:2222:
                      ansible_port: 22
                monitoring:
                  hosts: prom[1:2]
            """);

    assertEquals(
        List.of("web01", "web03", "dba", "dbb", "app1", "pinned", "prom1", "prom2"),
        List.copyOf(inv.hosts().keySet()));
    Host web01 = inv.host("web01").orElseThrow();
    assertEquals(2222L, web01.vars().get("ansible_port"), "Ansible keeps the first listing's port");
    assertEquals(2222, web01.connection().port());
    assertEquals("front", web01.vars().get("tier"));
    assertEquals(List.of("web01", "web03"), inv.groups().get("blue").subList(0, 2));
    assertEquals(List.of("web01", "app1", "pinned"), inv.groups().get("green"));
    assertFalse(
        inv.host("app1").orElseThrow().vars().containsKey("ansible_port"),
        "a port on a later listing of a host is ignored, as in Ansible");
    assertEquals(22, inv.host("pinned").orElseThrow().connection().port(), "its own vars win");
    assertEquals(List.of("prom1", "prom2"), inv.groups().get("monitoring"), "'hosts: NAME'");
    assertEquals(List.of(), inv.warnings());
  }

  @Test
  void aRangeAnsibleCannotExpandIsAnErrorNamingTheLine() {
    InputException e =
        assertThrows(InputException.class, () -> load("all:\n  hosts:\n    web[01:5]:\n"));
    assertTrue(
        e.getMessage()
            .startsWith(
                dir.resolve("hosts.yml")
                    + ":3:5: invalid host range in 'web[01:5]': Ansible says \"host range must"
                    + " specify equal-length begin and end formats\""),
        e.getMessage());
  }

  @Test
  void aConnectionOrchestratorDoesNotImplementIsValidInTheInventory() throws IOException {
    Inventory inv =
        load(
            """
            all:
              hosts:
                box:
                  ansible_connection: community.docker.docker
                plain:
            """);

    ConnectionSpec box = inv.host("box").orElseThrow().connection();
    assertEquals(ConnectionType.UNSUPPORTED, box.type());
    assertEquals("community.docker.docker", box.plugin());
    assertEquals("community.docker.docker (not supported)", box.toString());
    assertEquals(ConnectionType.SSH, inv.host("plain").orElseThrow().connection().type());
  }

  @Test
  void groupCycleIsAnError() {
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                load(
                    """
        all:
          children:
            a:
              children:
                b:
                  children:
                    a:
        """));
    assertTrue(e.getMessage().contains("group cycle: a -> b -> a"), e.getMessage());
  }

  @Test
  void badPortIsAnErrorAtTheHost() {
    InputException e =
        assertThrows(
            InputException.class, () -> load("all:\n  hosts:\n    h1:\n      port: ssh\n"));
    assertTrue(e.getMessage().contains("hosts.yml:3:5: host 'h1' has port 'ssh'"), e.getMessage());
  }

  private static List<String> names(List<Host> hosts) {
    return hosts.stream().map(Host::name).toList();
  }

  private static final String INI =
      """
      # an Ansible INI inventory
      bastion ansible_host=10.0.0.9

      [web]
      web[01:03].example.org user=deploy
      web-canary.example.org port=2222 note="two words"

      [web:vars]
      http_port=8080
      tls=true
      color=web

      [db]
      db[a:b].example.org

      [prod:children]
      web
      db

      [prod:vars]
      color=prod
      """;

  @Test
  void readsAnsibleIniInventories() throws IOException {
    Path file = dir.resolve("hosts.ini");
    Files.writeString(file, INI);
    Inventory inv = InventoryLoader.load(file);
    assertEquals(
        List.of(
            "bastion",
            "web01.example.org",
            "web02.example.org",
            "web03.example.org",
            "web-canary.example.org",
            "dba.example.org",
            "dbb.example.org"),
        List.copyOf(inv.hosts().keySet()));
    Host web2 = inv.host("web02.example.org").orElseThrow();
    assertEquals(
        List.of("all", "prod", "db", "web").stream()
            .filter(g -> web2.groups().contains(g))
            .toList()
            .size(),
        3);
    assertEquals(8080L, web2.vars().get("http_port"));
    assertEquals("true", web2.vars().get("tls"), "as in Ansible: only Python's True is a boolean");
    assertEquals("web", web2.vars().get("color"), "a child group's vars win over its parent's");
    assertEquals("prod", inv.host("dba.example.org").orElseThrow().vars().get("color"));
    assertEquals("two words", inv.host("web-canary.example.org").orElseThrow().vars().get("note"));
    assertEquals(2222, inv.host("web-canary.example.org").orElseThrow().connection().port());
    assertEquals("10.0.0.9", inv.host("bastion").orElseThrow().connection().address());
    assertEquals(List.of("bastion"), inv.groups().get("ungrouped"));
    assertEquals(6, inv.select("prod").size());
  }

  @Test
  void iniFormatIsDetectedWithoutAnExtension() throws IOException {
    Path file = dir.resolve("hosts");
    Files.writeString(file, INI);
    assertEquals(7, InventoryLoader.load(file).hosts().size());
  }

  @Test
  void iniErrorsNameTheLine() throws IOException {
    Path file = dir.resolve("bad.ini");
    Files.writeString(file, "[web]\nweb1 port\n");
    InputException e = assertThrows(InputException.class, () -> InventoryLoader.load(file));
    assertTrue(
        e.getMessage().contains("bad.ini:2:1: host 'web1': expected key=value, found 'port'"),
        e.getMessage());
  }

  @Test
  void atFilePatternsReadHostNames() throws IOException {
    Inventory inv = load(FLEET);
    Path failed = dir.resolve("failed.txt");
    Files.writeString(failed, "web2\n# a comment\nqa1\n");
    assertEquals(List.of("qa1", "web2"), names(inv.select("@" + failed)));
    assertEquals(List.of("web2"), names(inv.select("@" + failed + ":&production")));
  }

  @Test
  void aKernelFileIsNoInventoryAndItsContentIsNotQuoted() {
    // given -i naming the process's environment (an ansible.cfg can point its inventory there)
    // when loaded, then refused naming the path, without printing what the file holds
    dev.orchestrator.common.InputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.orchestrator.common.InputException.class,
            () -> InventoryLoader.load(java.nio.file.Path.of("/proc/self/environ")));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("a file of the kernel"), e.getMessage());
    org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("PATH="), e.getMessage());
  }

  @Test
  void aLineThatCannotBeSplitIsNamedByItsHostNotQuotedWithItsPassword() throws IOException {
    // given an INI host line whose quoted password is not closed
    java.nio.file.Path ini =
        java.nio.file.Files.writeString(
            dir.resolve("hosts.ini"), "[web]\nh1 ansible_password=\"HUNTERPW2 unterminated\n");
    // when loaded, then refused at the line, naming the host, never the password
    dev.orchestrator.common.InputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.orchestrator.common.InputException.class, () -> InventoryLoader.load(ini));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'h1'"), e.getMessage());
    org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("HUNTER"), e.getMessage());
  }
}
