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
 * {@code -u} and {@code --private-key} are defaults below the inventory's connection variables, as
 * ansible-playbook 2.14 applies them (checked with {@code -vvv}: a host with {@code ansible_user}
 * connects as it whatever {@code -u} says; one without connects as {@code -u}).
 */
class ConnectionDefaultsTest {
  @TempDir Path dir;

  @Test
  void theInventorysUserAndKeyWinOverTheCommandLine() throws IOException {
    // given a host with ansible_user and a key, and one with neither
    Path ini =
        Files.writeString(
            dir.resolve("hosts.ini"),
            "[g]\nwithuser ansible_user=invuser ansible_ssh_private_key_file=/keys/inv\n"
                + "nouser\n");
    Inventory inv = InventoryLoader.load(List.of(ini));
    // when -u cliuser --private-key /keys/cli apply
    Inventory applied =
        new ConnectionDefaults(Optional.of("cliuser"), Optional.of(Path.of("/keys/cli")))
            .applyTo(inv);
    // then the inventory's win where set, the command line's elsewhere
    ConnectionSpec with = applied.host("withuser").orElseThrow().connection();
    ConnectionSpec without = applied.host("nouser").orElseThrow().connection();
    assertEquals("invuser", with.user());
    assertEquals(Optional.of(Path.of("/keys/inv")), with.privateKeyFile());
    assertEquals("cliuser", without.user());
    assertEquals(Optional.of(Path.of("/keys/cli")), without.privateKeyFile());
  }

  @Test
  void withoutOptionsNothingChanges() {
    // given an inline host list; when no -u is given; then the local user, as Ansible
    Inventory inv = InventoryLoader.load(List.of(Path.of("h1,")));
    assertEquals(
        System.getProperty("user.name"),
        ConnectionDefaults.NONE.applyTo(inv).host("h1").orElseThrow().connection().user());
  }
}
