package dev.orchestrator.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a step came from when a role or a step file brought it in, and the variables that apply to
 * it alone (README "Roles and step files"): its role's defaults and vars sit above those of the
 * other roles for it, and the {@code vars:} of the includes it came through sit above the role vars
 * (Ansible's "include params"; {@code get_vars} in {@code lib/ansible/vars/manager.py}).
 *
 * @param role the role whose step it is, if any
 * @param vars the {@code vars:} of the {@code import_steps}/{@code include_steps} entries it came
 *     through, the inner include's over the outer's
 */
public record StepScope(Optional<String> role, Map<String, Object> vars) {
  /** A step of the playbook's own {@code steps:}, not included with vars. */
  public static final StepScope NONE = new StepScope(Optional.empty(), Map.of());

  /** Validates the fields. */
  public StepScope {
    Objects.requireNonNull(role, "role");
    vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
  }
}
