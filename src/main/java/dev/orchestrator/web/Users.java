package dev.orchestrator.web;

import com.password4j.Password;
import dev.orchestrator.app.UserNames;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

/**
 * The users file: who may use the web console, with which role, their password's Argon2id hash
 * (Password4j) and their API token's SHA-256 (never the secrets themselves). YAML, kept readable by
 * its owner only:
 *
 * <pre>
 * users:
 *   - name: alice
 *     role: approver
 *     password: "$argon2id$v=19$m=..."
 *     token: "sha256:9f86d0..."          # optional, for API calls
 * </pre>
 *
 * An API token is {@code NAME.SECRET}: the name finds the user, the secret's SHA-256 is compared
 * with the stored one in constant time ({@link MessageDigest#isEqual}). The secret is 256 random
 * bits, so a fast hash is enough (a slow one is for passwords people choose) and a wrong token
 * costs the server a hash, not an Argon2 run. Tokens stored as Argon2 hashes (before) are never
 * checked: {@link #oldTokens} names their users, who need a new token.
 *
 * <p>User names are unique as people read them: two names that normalise to the same ({@link
 * UserNames}: NFKC and case folding) cannot both be listed.
 */
public final class Users {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A hash of a random password: checked against when the user name is unknown, so that a login
   * with an unknown name takes as long as one with a wrong password.
   */
  private static final String DUMMY = hash(randomSecret());

  /** How a token's SHA-256 is stored: this prefix, then the digest in lower-case hex. */
  static final String TOKEN_PREFIX = "sha256:";

  /** Compared with when the token's user is unknown or has no token: the work is the same. */
  private static final byte[] DUMMY_TOKEN = new byte[32];

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
    byte[] stored = u == null ? null : u.tokenHash().flatMap(Users::tokenDigest).orElse(null);
    byte[] given = sha256(token.substring(dot + 1));
    boolean ok = MessageDigest.isEqual(given, stored == null ? DUMMY_TOKEN : stored);
    return ok && stored != null ? Optional.of(u) : Optional.empty();
  }

  /**
   * The users whose token was stored by an earlier version as an Argon2 hash: it is never checked
   * (each check would cost the server an Argon2 run per guess); give them a new token with {@code
   * orchestrator users token NAME}.
   */
  public List<String> oldTokens() {
    return byName.values().stream()
        .filter(u -> u.tokenHash().filter(t -> !t.startsWith(TOKEN_PREFIX)).isPresent())
        .map(User::name)
        .toList();
  }

  /** A stored token hash's digest, if it is one this version checks ({@link #TOKEN_PREFIX}). */
  private static Optional<byte[]> tokenDigest(String stored) {
    if (!stored.startsWith(TOKEN_PREFIX)) {
      return Optional.empty();
    }
    try {
      byte[] d = HexFormat.of().parseHex(stored.substring(TOKEN_PREFIX.length()));
      return d.length == 32 ? Optional.of(d) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** How a token's secret is stored: {@link #TOKEN_PREFIX} and its SHA-256 in hex. */
  static String tokenHash(String secret) {
    return TOKEN_PREFIX + HexFormat.of().formatHex(sha256(secret));
  }

  /**
   * Reads a users file.
   *
   * @throws InputException naming {@code file:line:column} for a file that is missing or not of the
   *     form above
   */
  public static Users load(Path file) {
    if (Files.isDirectory(file)) {
      throw new InputException(
          "the users file " + file + " is a folder, not a file",
          "name a file (YAML), e.g. --users " + file.resolve("users.yml"));
    }
    if (!Files.isRegularFile(file)) {
      throw new InputException(
          "the users file " + file + " does not exist",
          "create it with: orchestrator users add NAME --role approver --users " + file);
    }
    YamlNode root = YamlDocument.load(file, "users file");
    YamlMap top = root.asMap("the users file").allowOnly(Set.of("users"));
    List<User> users = new ArrayList<>();
    Map<String, String> seen = new java.util.HashMap<>();
    for (YamlNode n : top.require("users").asList("users")) {
      YamlMap m = n.asMap("a user").allowOnly(Set.of("name", "role", "password", "token"));
      YamlNode nameNode = m.require("name");
      String name = nameNode.asString("name");
      if (!User.NAME.matcher(name).matches()) {
        throw nameNode.error(
            "a user name is 1 to 64 of A-Z a-z 0-9 . _ @ -",
            "rename the user " + dev.orchestrator.common.Echo.quote(name));
      }
      String before = seen.putIfAbsent(UserNames.normalise(name), name);
      if (before != null) {
        throw nameNode.error(
            before.equals(name)
                ? "user '" + name + "' is listed twice"
                : "user '"
                    + name
                    + "' is listed twice: as '"
                    + before
                    + "' too (names are"
                    + " compared without case and width)",
            "keep one entry per user");
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
      if (token.isPresent()
          && !token.get().startsWith(TOKEN_PREFIX)
          && !token.get().startsWith("$argon2")) {
        throw m.get("token")
            .orElseThrow()
            .error(
                "'token' must be a token's hash, never a token",
                "make one with: orchestrator users token " + name);
      }
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
    for (User u : byName.values()) {
      if (!u.name().equals(name) && UserNames.same(u.name(), name)) {
        throw new InputException(
            "user '"
                + name
                + "' would be the same person as user '"
                + u.name()
                + "' (names are compared without case and width, as four-eyes gates compare"
                + " them)",
            "change '"
                + u.name()
                + "' with: orchestrator users add "
                + u.name()
                + " --role ROLE, or choose another name");
      }
    }
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
                        "no user "
                            + dev.orchestrator.common.Echo.quote(name)
                            + " in the users file",
                        "add the user first: orchestrator users add NAME --role ROLE"));
    String secret = randomSecret();
    List<User> out = new ArrayList<>();
    for (User x : byName.values()) {
      out.add(
          x.name().equals(name)
              ? new User(u.name(), u.role(), u.passwordHash(), Optional.of(tokenHash(secret)))
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
