package dev.orchestrator.plan;

import dev.orchestrator.inventory.Host;
import dev.orchestrator.playbook.LoadedRole;
import dev.orchestrator.playbook.Playbook;
import dev.orchestrator.playbook.Reuse;
import dev.orchestrator.playbook.StepScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The variables that apply to some steps only (README "Roles and step files", "Precedence"): a
 * role's steps see their own role's defaults above the other roles' defaults and their own role's
 * vars above the other roles' vars, and the steps of an include see its {@code vars:} above the
 * role vars (Ansible 2.14's {@code get_vars} in {@code lib/ansible/vars/manager.py}: the task's
 * role defaults, the task's role vars, include params). {@code -e} and registered values stay above
 * them.
 *
 * <p>Each step's pipeline entry carries, as its overrides, the values that change at that step for
 * the variables some step scopes, and the next step outside the scope puts the host's value back;
 * consumers apply overrides in step order ({@link PlannedStep#overrides()}). A variable that only
 * an include defines stays defined after its steps (no step before needs it: the plan checks that).
 */
final class ScopedVars {
  private ScopedVars() {}

  /**
   * Returns a host's pipeline with each step's scoped variables in its overrides (a hop's values
   * stay on top).
   *
   * @param playbook the playbook
   * @param instances the host's pipeline ({@link Hops#instances})
   * @param host the host
   * @param extraVars {@code -e}, which no scope overrides
   */
  static List<Hops.Instance> apply(
      Playbook playbook, List<Hops.Instance> instances, Host host, Map<String, ?> extraVars) {
    Reuse reuse = playbook.reuse();
    if (reuse.scopes().isEmpty()) {
      return instances;
    }
    Set<String> keys = scopedKeys(reuse);
    keys.removeAll(extraVars.keySet());
    if (keys.isEmpty()) {
      return instances;
    }
    Map<String, Object> above = new HashMap<>(playbook.vars());
    above.putAll(host.vars());
    above.putAll(playbook.varsAboveInventory(extraVars));
    Map<String, Object> base = playbook.varsBelowInventory();
    base.putAll(above);
    Map<String, Object> current = new HashMap<>();
    keys.stream().filter(base::containsKey).forEach(k -> current.put(k, base.get(k)));
    Set<String> registered = new HashSet<>();
    List<Hops.Instance> out = new ArrayList<>(instances.size());
    for (Hops.Instance i : instances) {
      StepScope scope = reuse.scope(i.step());
      Optional<LoadedRole> role = scope.role().flatMap(reuse::role);
      Map<String, Object> overrides = new LinkedHashMap<>();
      for (String k : keys) {
        if (registered.contains(k)) {
          continue;
        }
        Object want;
        if (scope.vars().containsKey(k)) {
          want = scope.vars().get(k);
        } else if (role.isPresent() && role.get().scopeVars().containsKey(k)) {
          want = role.get().scopeVars().get(k);
        } else if (role.isPresent()
            && !above.containsKey(k)
            && role.get().scopeDefaults().containsKey(k)) {
          want = role.get().scopeDefaults().get(k);
        } else if (base.containsKey(k)) {
          want = base.get(k);
        } else {
          continue; // undefined outside the scope: stays as the last scope left it
        }
        if (!Objects.equals(current.get(k), want) || !current.containsKey(k)) {
          overrides.put(k, want);
          current.put(k, want);
        }
      }
      i.step().register().ifPresent(registered::add);
      if (overrides.isEmpty()) {
        out.add(i);
      } else {
        overrides.putAll(i.overrides());
        out.add(new Hops.Instance(i.step(), overrides));
      }
    }
    return out;
  }

  /** The variables some step's scope sets: its role's defaults and vars, its includes' vars. */
  private static Set<String> scopedKeys(Reuse reuse) {
    Set<String> keys = new LinkedHashSet<>();
    Set<String> roles = new HashSet<>();
    for (StepScope s : reuse.scopes().values()) {
      keys.addAll(s.vars().keySet());
      s.role().ifPresent(roles::add);
    }
    if (reuse.roles().size() > 1) {
      // with one role, its defaults and vars are the play-wide ones already
      for (LoadedRole r : reuse.roles()) {
        if (roles.contains(r.name())) {
          keys.addAll(r.scopeDefaults().keySet());
          keys.addAll(r.scopeVars().keySet());
        }
      }
    }
    return keys;
  }
}
