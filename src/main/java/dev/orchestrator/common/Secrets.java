package dev.orchestrator.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides which variables are secrets and masks them for display. A variable is secret when its
 * name contains {@code password}, {@code passphrase}, {@code token}, {@code secret} or {@code
 * private_key} (case-insensitive); the key file path itself ({@code private_key_file}) is not.
 */
public final class Secrets {
  /** What a masked value is shown as. */
  public static final String MASK = "********";

  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(password|passphrase|token|secret|private_key(?!_file)).*");

  private Secrets() {}

  /** Returns whether a variable with this name holds a secret. */
  public static boolean isSecretName(String name) {
    return SECRET_NAME.matcher(name).matches();
  }

  /**
   * Returns a copy of {@code vars} where secret values (by name, at any depth of nested maps) are
   * replaced by {@link #MASK}.
   */
  public static Map<String, Object> mask(Map<String, ?> vars) {
    Map<String, Object> out = new LinkedHashMap<>();
    vars.forEach((k, v) -> out.put(k, isSecretName(k) ? MASK : maskValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object maskValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return mask((Map<String, ?>) m);
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Secrets::maskValue).toList();
    }
    return v;
  }

  /**
   * Returns the values of the secret-named variables in {@code vars}, at any depth, that are long
   * enough to mask without hiding ordinary text (4 characters or more).
   */
  public static java.util.Set<String> values(Map<String, ?> vars) {
    return values(vars, java.util.Set.of());
  }

  /**
   * Returns the values of the secret variables in {@code vars}: those with a secret-looking name
   * and those named in {@code secretNames} (declared secret by the playbook or a secrets file).
   */
  public static java.util.Set<String> values(
      Map<String, ?> vars, java.util.Set<String> secretNames) {
    java.util.Set<String> out = new java.util.HashSet<>();
    vars.forEach((k, v) -> collect(v, isSecretName(k) || secretNames.contains(k), out));
    return out;
  }

  private static void collect(Object value, boolean secret, java.util.Set<String> out) {
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> collect(v, secret || isSecretName(String.valueOf(k)), out));
    } else if (value instanceof List<?> l) {
      l.forEach(v -> collect(v, secret, out));
    } else if (secret && value != null && String.valueOf(value).length() >= 4) {
      out.add(String.valueOf(value));
    }
  }

  /** Returns {@code text} with every occurrence of a secret value replaced by {@link #MASK}. */
  public static String redact(String text, java.util.Collection<String> secretValues) {
    if (text == null || secretValues.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : secretValues) {
      out = out.replace(v, MASK);
    }
    return out;
  }
}
