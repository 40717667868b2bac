package dev.orchestrator.playbook;

import dev.orchestrator.common.SourceLocation;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A role of the playbook's {@code roles:} (or a dependency from a role's {@code meta/main.yml}),
 * read from Ansible's layout {@code roles/NAME/{tasks,handlers,defaults,vars,meta}/main.yml}
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_reuse_roles.html). Its steps
 * are in the playbook's {@link Playbook#steps()} with ids {@code NAME.ID}.
 *
 * @param name the role's name (its folder's name)
 * @param dir the role's folder ({@code templates/} and {@code files/} are found under it)
 * @param defaults {@code defaults/main.yml}: the lowest precedence of all variables
 * @param vars the role entry's {@code vars:}, then {@code vars/main.yml} over them (as Ansible 2.14
 *     merges them): above inventory, playbook vars and {@code vars_files}
 * @param handlerFiles {@code handlers/main.yml} when it exists (one file or none), for the
 *     playbook's handlers to take in
 * @param location where the role is named (its {@code roles:} entry or dependency)
 * @param scopeDefaults the defaults the role's own steps see above the other roles' (Ansible's
 *     {@code Role.get_default_vars(dep_chain)}): its dependencies', then the roles that depend on
 *     it (outer first), then its own
 * @param scopeVars the vars the role's own steps see above the other roles' (Ansible's {@code
 *     Role.get_vars(dep_chain)}): the {@code vars/main.yml} of the roles that depend on it, its
 *     dependencies' vars, its entry's {@code vars:}, its own {@code vars/main.yml}
 */
public record LoadedRole(
    String name,
    Path dir,
    Map<String, Object> defaults,
    Map<String, Object> vars,
    List<Path> handlerFiles,
    SourceLocation location,
    Map<String, Object> scopeDefaults,
    Map<String, Object> scopeVars) {
  /** Validates the fields. */
  public LoadedRole {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dir, "dir");
    defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    handlerFiles = List.copyOf(handlerFiles);
    Objects.requireNonNull(location, "location");
    scopeDefaults = Collections.unmodifiableMap(new LinkedHashMap<>(scopeDefaults));
    scopeVars = Collections.unmodifiableMap(new LinkedHashMap<>(scopeVars));
  }
}
