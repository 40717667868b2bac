package dev.orchestrator.common;

import java.util.Objects;
import java.util.Optional;

/**
 * ansible-playbook's privilege escalation options as a run stores them for its resumes: {@code
 * -b}/{@code --become}, {@code --become-user}, {@code --become-method}. They are defaults of the
 * plays' {@code become*} keywords (a play or task that sets its own wins, as Ansible's command-line
 * options rank below playbook keywords:
 * https://docs.ansible.com/ansible/latest/reference_appendices/general_precedence.html).
 *
 * @param become {@code -b}: tasks become another user unless their play or they say otherwise
 * @param user {@code --become-user}: the user to become where the play names none
 * @param method {@code --become-method}: how, where the play names none
 */
public record Privilege(boolean become, Optional<String> user, Optional<String> method) {
  /** None of the options given. */
  public static final Privilege NONE = new Privilege(false, Optional.empty(), Optional.empty());

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException for a blank user or method
   */
  public Privilege {
    user = user == null ? Optional.empty() : user;
    method = method == null ? Optional.empty() : method;
    Objects.requireNonNull(user, "user");
    if (user.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("--become-user names no user");
    }
    if (method.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("--become-method names no method");
    }
  }

  /** Whether any option was given. */
  public boolean given() {
    return !equals(NONE);
  }
}
