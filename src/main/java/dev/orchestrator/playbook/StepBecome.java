package dev.orchestrator.playbook;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a step with {@code become: true} switches user, beyond {@code become_user} (Ansible's become
 * keywords,
 * https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_privilege_escalation.html). The
 * inventory's {@code ansible_become_method}, {@code ansible_become_user}, {@code
 * ansible_become_flags} and {@code ansible_become_password} ({@code ansible_become_pass}) override
 * these at run time, as Ansible's connection variables override keywords.
 *
 * @param method {@code sudo} or {@code su}; empty for the default, {@code sudo}
 * @param flags extra words for {@code sudo} or {@code su} ({@code become_flags}); empty for none
 * @param password a template giving the password ({@code become_password: "{{ sudo_password }}"});
 *     never a literal. Empty: the inventory's, or none ({@code sudo -n})
 */
public record StepBecome(
    Optional<String> method, Optional<String> flags, Optional<String> password) {
  /** The methods orchestrator implements. */
  public static final Set<String> METHODS = Set.of("sudo", "su");

  /** sudo, no flags, no password of the step's own. */
  public static final StepBecome NONE =
      new StepBecome(Optional.empty(), Optional.empty(), Optional.empty());

  /** Validates the fields. */
  public StepBecome {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(password, "password");
    method.ifPresent(
        m -> {
          if (!METHODS.contains(m)) {
            throw new IllegalArgumentException("become_method must be sudo or su, not " + m);
          }
        });
  }

  /** What these add to the step's definition hash: empty for {@link #NONE}. */
  String canonical() {
    if (equals(NONE)) {
      return "";
    }
    return "\u0000become\u0000"
        + method.orElse("")
        + "\u0000"
        + flags.orElse("")
        + "\u0000"
        + password.orElse("");
  }
}
