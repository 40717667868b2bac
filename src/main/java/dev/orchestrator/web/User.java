package dev.orchestrator.web;

import dev.orchestrator.playbook.Role;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A person (or CI) who may use the web console, as the users file lists them.
 *
 * @param name the user name: letters, digits, {@code . _ @ -}, 1 to 64 characters (compared with a
 *     run's starter for {@code distinct_from_starter} gates)
 * @param role what the user may do
 * @param passwordHash the password's Argon2id hash (PHC string), never the password
 * @param tokenHash the API token's hash ({@code sha256:HEX}; an Argon2 hash from an earlier version
 *     is kept but never accepted), if the user has a token
 */
public record User(String name, Role role, String passwordHash, Optional<String> tokenHash) {
  /** The form of a user name. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException for a name not of the form {@link #NAME}
   */
  public User {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(tokenHash, "tokenHash");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a user name is 1 to 64 of A-Z a-z 0-9 . _ @ -");
    }
  }
}
