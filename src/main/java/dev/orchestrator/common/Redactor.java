package dev.orchestrator.common;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values of one run, masked wherever the run writes text: the values of its secret vars
 * and the values found to be derived from them while steps and gates render ({@link
 * Secrets#derived}). The set only grows. Thread-safe: hosts run in parallel and share one redactor.
 */
public final class Redactor {
  private final Set<String> values = ConcurrentHashMap.newKeySet();
  private final Set<String> view = Collections.unmodifiableSet(values);

  /** A redactor that masks nothing yet. */
  public Redactor() {}

  /**
   * Masks, from now on, these values too. Values shorter than {@link Secrets#MIN_LENGTH} are added
   * as given: the callers ({@link Secrets#values}, {@link Secrets#derived}) already leave them out.
   */
  public void addAll(Collection<String> secretValues) {
    values.addAll(secretValues);
  }

  /** Masks, from now on, the secret values among {@code vars} ({@link Secrets#values}). */
  public void addSecretsOf(Map<String, ?> vars, Set<String> secretNames) {
    values.addAll(Secrets.values(vars, secretNames));
  }

  /** Returns a live, unmodifiable view of the values masked so far. */
  public Set<String> values() {
    return view;
  }

  /**
   * Returns {@code text} with every secret value masked ({@link Secrets#redact}); null stays null.
   */
  public String redact(String text) {
    return Secrets.redact(text, values);
  }

  /**
   * Returns {@code value} with every string in it masked: a string, or the strings of a list or map
   * (recursively, keys kept); other values as they are.
   */
  public Object redactValue(Object value) {
    if (value instanceof String text) {
      return redact(text);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(this::redactValue).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, redactValue(v)));
      return Collections.unmodifiableMap(out);
    }
    return value;
  }
}
