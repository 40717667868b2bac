package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import dev.orchestrator.playbook.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file: Argon2id hashes only, checked logins and tokens, clear errors. */
class UsersTest {
  @TempDir Path dir;

  static final String PW = "a long passphrase";

  private Users aliceAndBob() {
    return Users.loadOrEmpty(dir.resolve("none.yml"))
        .with("alice", Role.APPROVER, PW)
        .with("bob", Role.VIEWER, "another passphrase");
  }

  @Test
  void passwordsAreStoredAsArgon2idHashesAndChecked() {
    Users users = aliceAndBob();
    String hash = users.find("alice").orElseThrow().passwordHash();
    assertTrue(hash.startsWith("$argon2id$"), hash);
    assertFalse(hash.contains(PW));
    assertEquals("alice", users.login("alice", PW).orElseThrow().name());
    assertTrue(users.login("alice", "wrong").isEmpty());
    assertTrue(users.login("mallory", PW).isEmpty());
    assertTrue(users.login("alice", "").isEmpty());
    assertTrue(users.login(null, PW).isEmpty());
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime() {
    Users users = aliceAndBob().with("carol", Role.VIEWER, PW);
    assertNotEquals(
        users.find("alice").orElseThrow().passwordHash(),
        users.find("carol").orElseThrow().passwordHash(),
        "a random salt per hash");
  }

  @Test
  void aTokenIsNameDotSecretAndOnlyItsHashIsKept() {
    var made = aliceAndBob().withNewToken("alice");
    String token = made.getValue();
    assertTrue(token.startsWith("alice."), token);
    Users users = made.getKey();
    String stored = users.find("alice").orElseThrow().tokenHash().orElseThrow();
    assertFalse(stored.contains(token.substring(6)));
    assertTrue(stored.startsWith("sha256:"), "a fast hash of a long random secret: " + stored);
    assertEquals("alice", users.byToken(token).orElseThrow().name());
    assertTrue(users.byToken(token + "x").isEmpty());
    assertTrue(users.byToken("bob" + token.substring(5)).isEmpty(), "bob has no token");
    assertTrue(users.byToken("nodot").isEmpty());
    assertTrue(users.byToken(".secret").isEmpty());
    assertTrue(users.byToken(null).isEmpty());
    var again = users.withNewToken("alice");
    assertTrue(again.getKey().byToken(token).isEmpty(), "a new token replaces the old one");
    assertThrows(InputException.class, () -> users.withNewToken("nobody"));
  }

  @Test
  void aSavedFileIsPrivateHoldsNoSecretAndReadsBack() throws IOException {
    Path file = dir.resolve("sub/users.yml");
    var made = aliceAndBob().withNewToken("bob");
    made.getKey().save(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String text = Files.readString(file);
    assertFalse(text.contains(PW));
    assertFalse(text.contains(made.getValue().substring(4)));
    Users read = Users.load(file);
    assertEquals(2, read.all().size());
    assertEquals(Role.VIEWER, read.find("bob").orElseThrow().role());
    assertTrue(read.login("alice", PW).isPresent());
    assertTrue(read.byToken(made.getValue()).isPresent());
    // and saving again replaces it in one step (no temporary file left behind)
    read.with("alice", Role.ADMIN, PW).save(file);
    assertEquals(Role.ADMIN, Users.load(file).find("alice").orElseThrow().role());
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count());
    }
  }

  private InputException loadError(String yaml) throws IOException {
    Path file = dir.resolve("users.yml");
    Files.writeString(file, yaml);
    return assertThrows(InputException.class, () -> Users.load(file));
  }

  @Test
  void badFilesSayWhereAndWhatToDo() throws IOException {
    String hash = aliceAndBob().find("alice").orElseThrow().passwordHash();
    InputException role =
        loadError("users:\n  - name: a\n    role: boss\n    password: \"" + hash + "\"\n");
    assertTrue(role.getMessage().contains("users.yml:3:"), role.getMessage());
    assertTrue(role.hint().contains("viewer, operator, approver, admin"), role.hint());
    InputException plain =
        loadError("users:\n  - name: a\n    role: viewer\n    password: hunter2\n");
    assertTrue(plain.getMessage().contains("users.yml:4:"), plain.getMessage());
    assertTrue(plain.getMessage().contains("never a password"), plain.getMessage());
    InputException twice =
        loadError(
            ("users:\n  - {name: a, role: viewer, password: \"%s\"}\n"
                    + "  - {name: a, role: admin, password: \"%s\"}\n")
                .formatted(hash, hash));
    assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
    InputException name =
        loadError("users:\n  - {name: \"../x\", role: viewer, password: \"%s\"}\n".formatted(hash));
    assertTrue(name.getMessage().contains("users.yml:2:"), name.getMessage());
    InputException key =
        loadError(
            "users:\n  - {name: a, role: viewer, password: \"%s\", admin: true}\n".formatted(hash));
    assertTrue(key.getMessage().contains("admin"), key.getMessage());
  }

  @Test
  void aTokenStoredAsArgon2ByAnEarlierVersionIsNeverCheckedAndItsUserIsNamed() throws IOException {
    // given: a users file whose token is an Argon2 hash, as earlier versions wrote
    String secret = "an-old-token-secret-of-some-length";
    Path file = dir.resolve("users.yml");
    Files.writeString(
        file,
        "users:\n  - {name: ci, role: operator, password: \"%s\", token: \"%s\"}\n"
            .formatted(Users.hash(PW), Users.hash(secret)));
    // when
    Users users = Users.load(file);
    // then
    assertTrue(users.byToken("ci." + secret).isEmpty(), "no Argon2 run for a token");
    assertEquals(java.util.List.of("ci"), users.oldTokens());
    assertTrue(users.login("ci", PW).isPresent(), "the password still works");
    assertTrue(users.withNewToken("ci").getKey().oldTokens().isEmpty(), "a new token mends it");
  }

  @Test
  void aTokenInPlainTextIsRefusedWhereItStands() throws IOException {
    String hash = aliceAndBob().find("alice").orElseThrow().passwordHash();
    InputException e =
        loadError(
            "users:\n  - {name: a, role: viewer, password: \"%s\", token: \"a.secret\"}\n"
                .formatted(hash));
    assertTrue(e.getMessage().contains("users.yml:2:"), e.getMessage());
    assertTrue(e.getMessage().contains("never a token"), e.getMessage());
  }

  @Test
  void namesThatDifferOnlyInCaseOrWidthAreOneUser() throws IOException {
    // given alice, when Alice or ＡＬＩＣＥ is added, then it is refused, naming alice
    Users users = aliceAndBob();
    for (String other : new String[] {"Alice", "ALICE"}) {
      InputException e =
          assertThrows(InputException.class, () -> users.with(other, Role.ADMIN, PW));
      assertTrue(e.getMessage().contains("same person as user 'alice'"), e.getMessage());
      assertTrue(e.hint().contains("orchestrator users add alice"), e.hint());
    }
    assertEquals(Role.ADMIN, users.with("alice", Role.ADMIN, PW).find("alice").get().role());
    String hash = users.find("alice").orElseThrow().passwordHash();
    InputException twice =
        loadError(
            ("users:\n  - {name: Root, role: viewer, password: \"%s\"}\n"
                    + "  - {name: ROOT, role: admin, password: \"%s\"}\n")
                .formatted(hash, hash));
    assertTrue(twice.getMessage().contains("users.yml:3:"), twice.getMessage());
    assertTrue(twice.getMessage().contains("as 'Root' too"), twice.getMessage());
  }

  @Test
  void aFolderGivenAsTheUsersFileIsCalledAFolder() {
    InputException e = assertThrows(InputException.class, () -> Users.loadOrEmpty(dir));
    assertTrue(e.getMessage().contains("is a folder, not a file"), e.getMessage());
    assertFalse(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(e.hint().contains(dir.resolve("users.yml").toString()), e.hint());
  }

  @Test
  void messagesSayFileOnce() throws IOException {
    // given a users file that is binary (a NUL byte), a secrets file too, and a folder
    Path binary = dir.resolve("users.yml");
    Files.write(binary, new byte[] {'u', 0, 's'});
    InputException users = assertThrows(InputException.class, () -> Users.load(binary));
    Path secrets = dir.resolve("secrets.yml");
    Files.write(secrets, new byte[] {'a', ':', 0});
    InputException yaml =
        assertThrows(
            InputException.class,
            () -> dev.orchestrator.yaml.YamlDocument.load(secrets, "secrets file"));
    InputException folder =
        assertThrows(
            InputException.class,
            () -> dev.orchestrator.common.InputFiles.readText(dir, "secrets file"));
    // then no message says "file file"
    for (InputException e : java.util.List.of(users, yaml, folder)) {
      String all = e.getMessage() + " " + e.hint();
      assertFalse(all.contains("file file"), all);
      assertTrue(all.contains("file"), all);
    }
  }

  @Test
  void aMissingFileSaysHowToCreateIt() {
    InputException e =
        assertThrows(InputException.class, () -> Users.load(dir.resolve("absent.yml")));
    assertTrue(e.hint().contains("orchestrator users add"), e.hint());
  }
}
