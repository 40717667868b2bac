package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs at their edges: very long keys, a byte order mark. */
class InputEdgesCliTest {
  @TempDir Path dir;
  @TempDir Path home;

  private Cli.Session cli;

  @BeforeEach
  void session() {
    cli = Cli.withLocalHome(home);
  }

  @Test
  void aHostNameLongerThanAYamlKeyMaySaysSoAtItsPosition() throws Exception {
    // given a YAML inventory with a 5,000-character host name
    String name = "h".repeat(5000);
    Path inv =
        Files.writeString(
            dir.resolve("inv.yml"), "all:\n  hosts:\n    " + name + ":\n      port: 22\n");
    // when it is read
    Cli.Result r = cli.run("inventory", "-i", inv.toString());
    // then the error says the key is too long for YAML, at its line, not only "mapping values"
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains(inv + ":3:"), r.err());
    assertTrue(r.err().contains("longer than 1024 characters"), r.err());
    assertTrue(r.err().contains("? "), r.err());
  }

  @Test
  void anIniInventoryWithAByteOrderMarkIsRead() throws Exception {
    // given an INI inventory saved with a UTF-8 byte order mark (as some Windows editors do)
    Path inv = dir.resolve("hosts.ini");
    Files.write(inv, ("\uFEFF[web]\nweb1 ansible_port=2222\n").getBytes(StandardCharsets.UTF_8));
    // when it is read
    Cli.Result r = cli.run("inventory", "-i", inv.toString(), "--output", "json");
    // then it is read as without the mark
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("web1"), r.out());
    assertTrue(r.out().contains("2222"), r.out());
  }

  @Test
  void aYamlInventoryWithAByteOrderMarkIsRead() throws Exception {
    // given a YAML inventory saved with a UTF-8 byte order mark
    Path inv = dir.resolve("inv.yml");
    Files.write(
        inv, ("\uFEFFall:\n  hosts:\n    web1: {port: 2222}\n").getBytes(StandardCharsets.UTF_8));
    // when it is read; then it is read as without the mark
    Cli.Result r = cli.run("inventory", "-i", inv.toString(), "--output", "json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("web1"), r.out());
  }
}
