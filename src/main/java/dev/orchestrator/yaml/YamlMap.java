package dev.orchestrator.yaml;

import dev.orchestrator.common.InputException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML mapping with unique string keys, each remembering its position. Call {@link
 * #allowOnly(Set)} first so that a misspelt key is an error, never silently ignored.
 */
public final class YamlMap {
  /**
   * One key/value pair.
   *
   * @param name the key
   * @param key the key node (for its position)
   * @param value the value node
   */
  public record Entry(String name, YamlNode key, YamlNode value) {}

  private final YamlNode node;
  private final String what;
  private final Map<String, Entry> entries;

  YamlMap(YamlNode node, String what, Map<String, Entry> entries) {
    this.node = node;
    this.what = what;
    this.entries = entries;
  }

  /** Returns the mapping node itself. */
  public YamlNode node() {
    return node;
  }

  /** Returns the entries in file order. */
  public Collection<Entry> entries() {
    return entries.values();
  }

  /**
   * Rejects keys outside {@code allowed}, naming the closest allowed key.
   *
   * @throws InputException at the first unknown key
   */
  public YamlMap allowOnly(Set<String> allowed) {
    for (Entry e : entries.values()) {
      if (!allowed.contains(e.name())) {
        List<String> sorted = allowed.stream().sorted().toList();
        String nearest =
            sorted.stream()
                .min(Comparator.comparingInt(a -> distance(a, e.name())))
                .filter(a -> distance(a, e.name()) <= Math.max(2, e.name().length() / 3))
                .map(a -> "did you mean '" + a + "'? ")
                .orElse("");
        throw new InputException(
            e.key().location(),
            "unknown key '" + e.name() + "' in " + what,
            nearest + "allowed keys: " + String.join(", ", sorted));
      }
    }
    return this;
  }

  /** Returns the value of {@code key}, if present and not null. */
  public Optional<YamlNode> get(String key) {
    Entry e = entries.get(key);
    return e == null || e.value().isNull() ? Optional.empty() : Optional.of(e.value());
  }

  /** Returns whether {@code key} is present (even with a null value). */
  public boolean has(String key) {
    return entries.containsKey(key);
  }

  /**
   * Returns the value of a required key.
   *
   * @throws InputException naming the key when it is missing or null
   */
  public YamlNode require(String key) {
    return get(key)
        .orElseThrow(
            () ->
                new InputException(
                    node.location(),
                    "missing required key '" + key + "' in " + what,
                    "add '" + key + ":' to " + what));
  }

  /** Returns an optional string value. */
  public Optional<String> string(String key) {
    return get(key).map(n -> n.asString(key));
  }

  /** Returns the entry for a key, if present. */
  public Optional<Entry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  static int distance(String a, String b) {
    return dev.orchestrator.common.Suggestions.distance(a, b);
  }
}
