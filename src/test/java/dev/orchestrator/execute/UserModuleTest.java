package dev.orchestrator.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.LocalUsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code user} ({@link UserModule}) with the machine's real {@code useradd}, {@code usermod},
 * {@code userdel} and {@code chpasswd} (tests run as root here and on CI), on a user named uniquely
 * and removed after: Ansible's {@code changed} rules ({@code user.py}), result keys, and the
 * password hash set without reaching a command line.
 */
class UserModuleTest {
  /**
   * A SHA-512 crypt hash ({@code openssl passwd -6 -salt salt secret}), as Ansible's password
   * argument takes it.
   */
  static final String HASH =
      "$6$salt$egUxKNxDs8kPfh8iPMNcosMhb2eWah6d3R44JDm5Rj/j/XWR5E33QPd0YmHXoDHOIDR6kL5D3JcQcz0O8FHE00";

  private final String name = "orchut" + Long.toHexString(System.nanoTime()).substring(5);

  @TempDir Path dir;

  @BeforeEach
  void asRoot() {
    LocalUsers.requireRoot();
  }

  @AfterEach
  void removeTheUser() throws Exception {
    new ProcessBuilder("userdel", "-f", "-r", name).redirectErrorStream(true).start().waitFor();
  }

  static UserModule user(
      String name, Optional<String> comment, Optional<String> home, Optional<String> password) {
    return new UserModule(
        name,
        true,
        OptionalInt.empty(),
        false,
        Optional.empty(),
        Optional.of(List.of()),
        false,
        comment,
        home,
        Optional.of("/bin/sh"),
        true,
        false,
        false,
        password,
        true,
        false,
        false);
  }

  /** {@code state: absent}, with {@code remove}. */
  static UserModule absent(String name, boolean remove) {
    return new UserModule(
        name,
        false,
        OptionalInt.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        true,
        false,
        false,
        Optional.empty(),
        true,
        false,
        remove);
  }

  private ModuleOutcome run(UserModule m) throws Exception {
    try (StandInHost host = StandInHost.with()) {
      return m.outcome(host.run(m.script()));
    }
  }

  private String shadowHash() throws Exception {
    Process p = new ProcessBuilder("getent", "shadow", name).start();
    String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return line.split(":")[1];
  }

  @Test
  void presentAddsOnceModifiesWhatDiffersAndAbsentDeletesOnce() throws Exception {
    // given no user of that name
    String home = dir.resolve("homes/" + name).toString();
    UserModule add = user(name, Optional.of("App user"), Optional.of(home), Optional.of(HASH));
    // when it is made present twice, given another comment, then made absent twice
    ModuleOutcome added = run(add);
    String hash = shadowHash();
    ModuleOutcome again = run(add);
    ModuleOutcome renamed =
        run(user(name, Optional.of("Renamed"), Optional.of(home), Optional.of(HASH)));
    UserModule absent = absent(name, true);
    ModuleOutcome deleted = run(absent);
    ModuleOutcome gone = run(absent);
    // then each changed only when it had something to do, as user.py decides
    assertEquals(
        List.of(true, false, true, true, false),
        List.of(added, again, renamed, deleted, gone).stream()
            .map(o -> o.fields().get("changed"))
            .toList(),
        added.result().stderr());
    // the password hash is the shadow's, and the result never holds it
    assertEquals(HASH, hash);
    assertEquals("NOT_LOGGING_PASSWORD", added.fields().get("password"));
    assertFalse(added.fields().toString().contains(HASH));
    // the keys are user.py's
    assertEquals("App user", added.fields().get("comment"));
    assertEquals(home, added.fields().get("home"));
    assertEquals("/bin/sh", added.fields().get("shell"));
    assertEquals(false, added.fields().get("system"));
    assertEquals(true, added.fields().get("create_home"));
    assertEquals(false, again.fields().get("append"));
    assertEquals("Renamed", renamed.fields().get("comment"));
    assertTrue(added.fields().get("uid") instanceof Integer);
    assertEquals(true, deleted.fields().get("remove"));
    assertFalse(Files.exists(Path.of(home)), "remove: true removed the home folder");
    assertFalse(gone.fields().containsKey("uid"));
  }

  @Test
  void aMissingGroupFailsWithTheModulesMessage() throws Exception {
    // given a user whose primary group does not exist
    UserModule m =
        new UserModule(
            name,
            true,
            OptionalInt.empty(),
            false,
            Optional.of(name + "-nogroup"),
            Optional.empty(),
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            false,
            false,
            Optional.empty(),
            true,
            false,
            false);
    // when it is made present
    ModuleOutcome o = run(m);
    // then it fails with user.py's message and adds nobody
    assertFalse(o.result().succeeded());
    assertEquals("Group " + name + "-nogroup does not exist", o.fields().get("msg"));
    assertEquals(false, o.fields().get("changed"));
  }
}
