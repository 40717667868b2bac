package dev.orchestrator.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a playbook takes from other files: its {@code roles:} (whose steps come first in {@link
 * Playbook#steps()}), the step files its steps include, and its {@code vars_files:} (README "Roles
 * and step files").
 *
 * @param roles the roles in the order their steps run (dependencies first), each once
 * @param varsFiles the {@code vars_files:}
 * @param scopes by step id (without a hop), the steps that a role or an include with {@code vars:}
 *     brought in; a step not listed has {@link StepScope#NONE}
 */
public record Reuse(
    List<LoadedRole> roles, VarsFilesList varsFiles, Map<String, StepScope> scopes) {
  /** A playbook that takes nothing from other files. */
  public static final Reuse NONE = new Reuse(List.of(), VarsFilesList.NONE, Map.of());

  /** Validates the fields. */
  public Reuse {
    roles = List.copyOf(roles);
    Objects.requireNonNull(varsFiles, "varsFiles");
    scopes = Collections.unmodifiableMap(new LinkedHashMap<>(scopes));
  }

  /** Returns the scope of a step (by its id, with or without a hop). */
  public StepScope scope(Step step) {
    return scopes.getOrDefault(step.baseId(), StepScope.NONE);
  }

  /** Returns the role with this name, if the playbook has it. */
  public java.util.Optional<LoadedRole> role(String name) {
    return roles.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** Returns every role's {@code defaults/main.yml}, merged in role order. */
  public Map<String, Object> roleDefaults() {
    Map<String, Object> out = new LinkedHashMap<>();
    roles.forEach(r -> out.putAll(r.defaults()));
    return out;
  }

  /** Returns every role's vars (entry {@code vars:}, then {@code vars/main.yml}), merged. */
  public Map<String, Object> roleVars() {
    Map<String, Object> out = new LinkedHashMap<>();
    roles.forEach(r -> out.putAll(r.vars()));
    return out;
  }
}
