package dev.orchestrator.plan;

import dev.orchestrator.common.SharedVars;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Ansible's {@code hostvars} magic variable: inventory host name to that host's variables
 * (https://docs.ansible.com/ansible/latest/reference_appendices/special_variables.html). One
 * instance is shared by every host of a plan and computes a host's variables when a template first
 * reads them, so that a fleet of N hosts costs nothing until a template uses {@code hostvars}, and
 * then N look-ups, never an N by N copy. A host's variables come from one function, {@link
 * #lookup}, with what other hosts' steps set laid over them ({@link #overlaid}): facts gathered,
 * values registered, {@code set_fact} facts and facts delegated to the host ({@code
 * delegate_facts}). Read-only.
 */
public final class HostVars extends AbstractMap<String, Object> implements SharedVars {
  private final Object source;
  private final List<String> names;
  private final Set<String> known;
  private final Function<String, Map<String, Object>> lookup;
  private final java.util.function.BiConsumer<String, Map<String, Object>> overlay;
  private final boolean cached;
  private final Map<String, Map<String, Object>> cache =
      java.util.Collections.synchronizedMap(new java.util.HashMap<>());

  /**
   * Creates the view.
   *
   * @param names the inventory's hosts, in inventory order
   * @param lookup a host's variables (playbook vars, inventory vars, extra vars, its own magic
   *     vars); called at most once per host
   * @param source what {@code lookup} computes from (the plan's input): two views of equal sources
   *     are equal, so a host planned alone equals the same host of the whole plan
   */
  public HostVars(List<String> names, Function<String, Map<String, Object>> lookup, Object source) {
    this(names, lookup, (n, v) -> {}, true, source);
  }

  private HostVars(
      List<String> names,
      Function<String, Map<String, Object>> lookup,
      java.util.function.BiConsumer<String, Map<String, Object>> overlay,
      boolean cached,
      Object source) {
    this.source = java.util.Objects.requireNonNull(source, "source");
    this.names = List.copyOf(names);
    this.known = Set.copyOf(names);
    this.lookup = lookup;
    this.overlay = overlay;
    this.cached = cached;
  }

  /**
   * The same hosts' variables with what other hosts' steps set laid over them: the plan lays the
   * values it knows and the shapes of those known at run time ({@link OtherHosts#planned}), a run
   * lays what the run's state and its gathered facts hold at the moment of each look-up ({@code
   * execute.RunHostVars}).
   *
   * @param more adds to a host's variables (a fresh copy of what {@link #lookup} computed)
   * @param keep whether a host's variables are computed once (a plan) or at each look-up (a run,
   *     whose values change while it runs)
   * @param newSource what the view computes from, for {@link #equals}
   */
  public HostVars overlaid(
      java.util.function.BiConsumer<String, Map<String, Object>> more,
      boolean keep,
      Object newSource) {
    return new HostVars(names, lookup, more, keep, newSource);
  }

  @Override
  public HostVars transformed(java.util.function.UnaryOperator<Map<String, Object>> each) {
    java.util.function.BiConsumer<String, Map<String, Object>> first = overlay;
    return new HostVars(
        names,
        lookup,
        (n, v) -> {
          first.accept(n, v);
          Map<String, Object> changed = each.apply(v);
          v.clear();
          v.putAll(changed);
        },
        cached,
        new Object());
  }

  @Override
  public Object get(Object key) {
    if (!(key instanceof String name) || !known.contains(name)) {
      return null;
    }
    if (!cached) {
      return java.util.Collections.unmodifiableMap(compute(name));
    }
    return cache.computeIfAbsent(name, n -> java.util.Collections.unmodifiableMap(compute(n)));
  }

  private Map<String, Object> compute(String name) {
    Map<String, Object> vars = new java.util.LinkedHashMap<>(lookup.apply(name));
    overlay.accept(name, vars);
    return vars;
  }

  @Override
  public boolean containsKey(Object key) {
    return known.contains(key);
  }

  @Override
  public int size() {
    return names.size();
  }

  @Override
  public Set<String> keySet() {
    return new java.util.LinkedHashSet<>(names);
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Object>> iterator() {
        Iterator<String> it = names.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Entry<String, Object> next() {
            String n = it.next();
            return new SimpleImmutableEntry<>(n, get(n));
          }
        };
      }

      @Override
      public int size() {
        return names.size();
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof HostVars h && h.source.equals(source));
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }

  @Override
  public String toString() {
    return "hostvars of " + names.size() + " hosts";
  }
}
