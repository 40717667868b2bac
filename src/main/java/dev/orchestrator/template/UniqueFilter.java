package dev.orchestrator.template;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ansible's {@code unique} filter (ansible-core 2.14 {@code plugins/filter/mathstuff.py}): Jinja2's
 * {@code do_unique} with {@code case_sensitive=bool(case_sensitive)}, so that by default strings
 * that differ only in case are one ({@code ['A', 'a'] | unique} is {@code ['A']}, the first kept),
 * and {@code attribute} compares items by that attribute. Keys are compared as Python's set does:
 * {@code 1}, {@code 1.0} and {@code True} are one. Items Python cannot hash (lists, dicts) fall
 * back, as Ansible does, to a case-sensitive equality test, unless {@code case_sensitive=False} or
 * an {@code attribute} was asked for, which is then an error as in Ansible.
 */
final class UniqueFilter {
  private UniqueFilter() {}

  /** Applies the filter to {@code var} with Ansible's arguments. */
  static Object unique(Object var, List<Object> args, Map<String, Object> kw) {
    Object caseSensitive = AnsibleFilters.arg(args, kw, 0, "case_sensitive", null);
    Object attribute = AnsibleFilters.arg(args, kw, 1, "attribute", null);
    boolean sensitive = PyValues.truthy(caseSensitive);
    List<Object> items = new ArrayList<>();
    PyValues.iterate(var).forEach(items::add);
    List<Object> out = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    for (Object item : items) {
      Object key = attribute == null ? item : PyValues.attribute(item, attribute);
      if (key instanceof Map<?, ?> || key instanceof List<?>) {
        if (Boolean.FALSE.equals(caseSensitive) || attribute != null) {
          throw new IllegalArgumentException(
              "Jinja2's unique filter failed and we cannot fall back to Ansible's version as it"
                  + " does not support the parameters supplied: unhashable type: '"
                  + PyValues.typeName(key)
                  + "'");
        }
        return fallback(items);
      }
      if (!sensitive && key instanceof String s) {
        key = s.toLowerCase(Locale.ROOT);
      }
      if (seen.add(hashKey(key))) {
        out.add(item);
      }
    }
    return out;
  }

  /** Ansible's own version: the first of every equal item, case-sensitive. */
  private static List<Object> fallback(List<Object> items) {
    List<Object> out = new ArrayList<>();
    for (Object x : items) {
      if (out.stream().noneMatch(y -> java.util.Objects.equals(hashKey(x), hashKey(y)))) {
        out.add(x);
      }
    }
    return out;
  }

  /** A key equal for values Python's set holds equal: {@code True == 1 == 1.0}. */
  private static Object hashKey(Object v) {
    if (v instanceof Boolean b) {
      return new java.math.BigDecimal(b ? 1 : 0);
    }
    if (v instanceof Number n) {
      try {
        return new java.math.BigDecimal(n.toString()).stripTrailingZeros();
      } catch (NumberFormatException notFinite) {
        return n.doubleValue();
      }
    }
    return v;
  }
}
