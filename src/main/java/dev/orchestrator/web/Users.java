package dev.orchestrator.web;

import com.password4j.Password;
import dev.orchestrator.common.InputException;
import dev.orchestrator.playbook.Role;
import dev.orchestrator.state.PrivateFiles;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

/**
 * The users file: who may use the web console, with which role, their password's and API token's
 * Argon2id hashes (Password4j; never the secrets themselves). YAML, kept readable by its owner
 * only:
 *
 * <pre>
 * users:
 *   - name: alice
 *     role: approver
 *     password: "$argon2id$v=19$m=..."
 *     token: "$argon2id$v=19$m=..."      # optional, for API calls
 * </pre>
 *
 * An API token is {@code NAME.SECRET}: the name finds the user, the secret is checked against the
 * hash (one Argon2 check per call, never a search through every user's hash).
 */
public final class Users {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A hash of a random password: checked against when the user name is unknown, so that a login
   * with an unknown name takes as long as one with a wrong password.
   */
  private static final String DUMMY = hash(randomSecret());

  private final Map<String, User> byName;

  private Users(List<User> users) {
    Map<String, User> m = new LinkedHashMap<>();
    users.forEach(u -> m.put(u.name(), u));
    this.byName = m;
  }

  /** The users, in file order. */
  public List<User> all() {
    return List.copyOf(byName.values());
  }

  /** The user of a name, if listed. */
  public Optional<User> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Checks a name and password.
   *
   * @return the user, when the password is theirs
   */
  public Optional<User> login(String name, String password) {
    User u = name == null ? null : byName.get(name);
    if (password == null || password.isEmpty()) {
      return Optional.empty();
    }
    boolean ok = Password.check(password, u == null ? DUMMY : u.passwordHash()).withArgon2();
    return ok && u != null ? Optional.of(u) : Optional.empty();
  }

  /**
   * Checks an API token ({@code NAME.SECRET}).
   *
   * @return the user, when the token is theirs
   */
  public Optional<User> byToken(String token) {
    int dot = token == null ? -1 : token.indexOf('.');
    if (dot < 1) {
      return Optional.empty();
    }
    User u = byName.get(token.substring(0, dot));
    String secret = token.substring(dot + 1);
    String hash = u == null || u.tokenHash().isEmpty() ? DUMMY : u.tokenHash().get();
    boolean ok = Password.check(secret, hash).withArgon2();
    return ok && u != null && u.tokenHash().isPresent() ? Optional.of(u) : Optional.empty();
  }

  /**
   * Reads a users file.
   *
   * @throws InputException naming {@code file:line:column} for a file that is missing or not of the
   *     form above
   */
  public static Users load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(
          "the users file " + file + " does not exist",
          "create it with: orchestrator users add NAME --role approver --users " + file);
    }
    YamlNode root = YamlDocument.load(file, "users file");
    YamlMap top = root.asMap("the users file").allowOnly(Set.of("users"));
    List<User> users = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (YamlNode n : top.require("users").asList("users")) {
      YamlMap m = n.asMap("a user").allowOnly(Set.of("name", "role", "password", "token"));
      YamlNode nameNode = m.require("name");
      String name = nameNode.asString("name");
      if (!User.NAME.matcher(name).matches()) {
        throw nameNode.error(
            "a user name is 1 to 64 of A-Z a-z 0-9 . _ @ -", "rename the user '" + name + "'");
      }
      if (!seen.add(name)) {
        throw nameNode.error("user '" + name + "' is listed twice", "keep one entry per user");
      }
      YamlNode roleNode = m.require("role");
      Role role =
          Role.parse(roleNode.asString("role"))
              .orElseThrow(
                  () ->
                      roleNode.error(
                          "unknown role '" + roleNode.asString("role") + "'",
                          "write one of: " + Role.names()));
      YamlNode pw = m.require("password");
      String hash = pw.asString("password");
      if (!hash.startsWith("$argon2")) {
        throw pw.error(
            "'password' must be an Argon2 hash, never a password",
            "set it with: orchestrator users add " + name + " --role " + role.label());
      }
      Optional<String> token = m.get("token").map(t -> t.asString("token"));
      users.add(new User(name, role, hash, token));
    }
    return new Users(users);
  }

  /** Reads a users file, or none when it does not exist yet. */
  public static Users loadOrEmpty(Path file) {
    return Files.exists(file) ? load(file) : new Users(List.of());
  }

  /**
   * Returns the users with one added or replaced (same name): role and password set, token kept.
   *
   * @param password the password, never stored: its hash is
   */
  public Users with(String name, Role role, String password) {
    List<User> out = new ArrayList<>(byName.values());
    Optional<String> token = find(name).flatMap(User::tokenHash);
    out.removeIf(u -> u.name().equals(name));
    out.add(new User(name, role, hash(password), token));
    return new Users(out);
  }

  /**
   * Returns the users with a new API token for {@code name}, and the token (shown once: only its
   * hash is kept).
   *
   * @throws InputException when the user is not listed
   */
  public Map.Entry<Users, String> withNewToken(String name) {
    User u =
        find(name)
            .orElseThrow(
                () ->
                    new InputException(
                        "no user '" + name + "' in the users file",
                        "add the user first: orchestrator users add " + name + " --role ROLE"));
    String secret = randomSecret();
    List<User> out = new ArrayList<>();
    for (User x : byName.values()) {
      out.add(
          x.name().equals(name)
              ? new User(u.name(), u.role(), u.passwordHash(), Optional.of(hash(secret)))
              : x);
    }
    return Map.entry(new Users(out), name + "." + secret);
  }

  /**
   * Writes the users file readable by its owner only, atomically (a temporary file in the same
   * folder, then a rename): a reader sees the old file or the new one.
   *
   * @throws IOException when it cannot be written
   */
  public void save(Path file) throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (User u : byName.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", u.name());
      m.put("role", u.role().label());
      m.put("password", u.passwordHash());
      u.tokenHash().ifPresent(t -> m.put("token", t));
      list.add(m);
    }
    String yaml =
        "# orchestrator web console users: Argon2id hashes only (orchestrator users add)\n"
            + new Dump(DumpSettings.builder().build()).dumpToString(Map.of("users", list));
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + abs.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try (var ch = PrivateFiles.openNew(tmp)) {
      ch.write(java.nio.ByteBuffer.wrap(yaml.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** An Argon2id hash with a random salt (Password4j's parameters, psw4j.properties defaults). */
  static String hash(String secret) {
    return Password.hash(secret).addRandomSalt().withArgon2().getResult();
  }

  /** 32 random bytes, URL-safe Base64 without padding. */
  static String randomSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
