package dev.orchestrator.playbook;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a person may do with runs, in the web console and at approval gates. Each role's rights are
 * its own (an approver is not an operator): {@link #VIEWER} sees runs, plans and logs; {@link
 * #OPERATOR} also plans on the controller, resumes and aborts; {@link #APPROVER} also approves and
 * rejects approval gates; {@link #ADMIN} does all of it. A gate's {@code role:} names who may
 * approve it ({@link #mayApprove}).
 */
public enum Role {
  /** Sees runs, plans, logs and reports. */
  VIEWER,
  /** Also plans on the controller, resumes (with decisions) and aborts runs. */
  OPERATOR,
  /** Also approves and rejects approval gates. */
  APPROVER,
  /** All of the above. */
  ADMIN;

  /** The role as written in the users file and in playbooks: {@code viewer}, {@code admin}... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a role's {@link #label()}, case-insensitively. */
  public static Optional<Role> parse(String text) {
    return Arrays.stream(values())
        .filter(r -> r.label().equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  /** The labels, comma-separated, for messages. */
  public static String names() {
    return Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", "));
  }

  /** Whether this role may resume, abort and plan. */
  public boolean mayOperate() {
    return this == OPERATOR || this == ADMIN;
  }

  /**
   * Whether this role may approve or reject a gate that requires {@code required}: the same role,
   * or admin.
   */
  public boolean mayApprove(Role required) {
    return this == ADMIN || (this == required && this != VIEWER);
  }
}
