package dev.orchestrator.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which variables are secrets and masks them for display. A variable is secret when its
 * name contains {@code password}, {@code passphrase}, {@code token}, {@code secret}, {@code
 * passwd}, {@code credential}, {@code api_key}, {@code apikey} or {@code private_key}
 * (case-insensitive), ends in {@code _pass} (Ansible's legacy {@code ansible_ssh_pass}, {@code
 * ansible_become_pass}, {@code ansible_sudo_pass}) or {@code _pwd}, is {@code pass} or {@code pwd},
 * or starts with {@code vault_} (the convention of Ansible's best practices for values kept in a
 * vault: https://docs.ansible.com/ansible/latest/tips_tricks/ansible_tips_tricks.html); the key
 * file path itself ({@code private_key_file}) is not.
 */
public final class Secrets {
  /** What a masked value is shown as. */
  public static final String MASK = "********";

  /** The words that make a name secret wherever they stand in it, in lower case. */
  private static final List<String> SECRET_WORDS =
      List.of(
          "password", "passphrase", "token", "secret", "passwd", "credential", "api_key", "apikey");

  private Secrets() {}

  /** Returns whether a variable with this name holds a secret. */
  public static boolean isSecretName(String name) {
    // The rule as a regular expression is (?i).*(password|passphrase|token|secret|passwd|
    // credential|api_?key|private_key(?!_file)|_pass$|^pass$|_pwd$|^pwd$|^vault_).* ; matched per
    // variable per render it took 30% of
    // planning 1,000 hosts (issue 23), so it is written out. ASCII letters only are folded, as
    // (?i) does without UNICODE_CASE (SecretsProperties compares the two).
    String lower = asciiLowerCase(name);
    for (String word : SECRET_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    for (int at = lower.indexOf("private_key");
        at >= 0;
        at = lower.indexOf("private_key", at + 1)) {
      if (!lower.startsWith("_file", at + "private_key".length())) {
        return true;
      }
    }
    return lower.endsWith("_pass")
        || lower.equals("pass")
        || lower.endsWith("_pwd")
        || lower.equals("pwd")
        || lower.startsWith("vault_"); // Ansible's convention for vaulted values
  }

  /**
   * Returns whether one of {@code names} is a secret's: by its name, or declared secret ({@code
   * secretNames}: by the playbook or a secrets file), whatever the length of its value.
   */
  public static boolean anySecret(
      java.util.Collection<String> names, java.util.Set<String> secretNames) {
    for (String name : names) {
      if (isSecretName(name) || secretNames.contains(name)) {
        return true;
      }
    }
    return false;
  }

  private static String asciiLowerCase(String name) {
    char[] chars = name.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
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
    if (value instanceof SharedVars) {
      return; // every host's variables, each collected on its own host
    }
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> collect(v, secret || isSecretName(String.valueOf(k)), out));
    } else if (value instanceof List<?> l) {
      l.forEach(v -> collect(v, secret, out));
    } else if (secret && value != null && String.valueOf(value).length() >= 4) {
      out.add(String.valueOf(value));
    }
  }

  /**
   * Returns {@code text} with every occurrence of a secret value replaced by {@link #MASK}, the
   * longest values first (a secret that contains another is masked whole).
   */
  public static String redact(String text, java.util.Collection<String> secretValues) {
    if (text == null || secretValues.isEmpty()) {
      return text;
    }
    List<String> longestFirst = new java.util.ArrayList<>(secretValues);
    longestFirst.sort(java.util.Comparator.comparingInt(String::length).reversed());
    String out = text;
    for (String v : longestFirst) {
      out = out.replace(v, MASK);
    }
    return out;
  }

  /** The shortest value worth masking: shorter ones would hide ordinary text (4 characters). */
  public static final int MIN_LENGTH = 4;

  /**
   * Returns a copy of {@code vars} in which every secret value ({@link #values(Map, java.util.Set)}
   * finds the same ones) is replaced by another of the same shape: each digit and ASCII letter
   * becomes the next of its kind (so numbers stay numbers, lengths stay the same), a number is
   * increased by one, a boolean negated. A template rendered with {@code vars} and with this copy
   * gives a different text exactly where the text derives from a secret, however it was transformed
   * ({@code upper}, {@code b64encode}, a substring...): what {@link #derived} finds.
   */
  public static Map<String, Object> perturbed(
      Map<String, ?> vars, java.util.Set<String> secretNames) {
    return perturbed(vars, secretNames, java.util.Set.of());
  }

  /**
   * As {@link #perturbed(Map, java.util.Set)}, and a string equal to one of {@code secretValues} (a
   * value already known to be, or derive from, a secret: a fact {@code set_fact} made from one, a
   * registered result) is perturbed too, whatever its name: so what is derived from a derived value
   * is found as well.
   */
  public static Map<String, Object> perturbed(
      Map<String, ?> vars, java.util.Set<String> secretNames, java.util.Set<String> secretValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    vars.forEach(
        (k, v) ->
            out.put(
                k,
                v instanceof SharedVars shared // another host's secrets, changed when read
                    ? shared.transformed(each -> perturbed(each, secretNames, secretValues))
                    : perturb(v, isSecretName(k) || secretNames.contains(k), secretValues)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object perturb(Object value, boolean secret, java.util.Set<String> known) {
    if (value instanceof SharedVars) {
      return value;
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, perturb(v, secret || isSecretName(String.valueOf(k)), known)));
      return out;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(v -> perturb(v, secret, known)).toList();
    }
    if (value == null || !(secret || value instanceof String s && known.contains(s))) {
      return value;
    }
    if (value instanceof Boolean b) {
      return !b;
    }
    if (value instanceof Integer i) {
      return i + 1;
    }
    if (value instanceof Long n) {
      return n + 1;
    }
    if (value instanceof Number n) {
      return n.doubleValue() + 1;
    }
    StringBuilder out = new StringBuilder();
    for (char c : String.valueOf(value).toCharArray()) {
      if (c >= '0' && c <= '9') {
        out.append((char) ('0' + (c - '0' + 1) % 10));
      } else if (c >= 'a' && c <= 'z') {
        out.append((char) ('a' + (c - 'a' + 1) % 26));
      } else if (c >= 'A' && c <= 'Z') {
        out.append((char) ('A' + (c - 'A' + 1) % 26));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The rendered texts that derive from secrets, to mask: given what the same templates gave with
   * the real vars and with {@link #perturbed} ones, in the same order, each text that differs;
   * every text when the renderings differ in number (a secret decided a condition) or the perturbed
   * one failed ({@code other} empty). Texts shorter than {@link #MIN_LENGTH} are left out.
   *
   * @param real the texts rendered with the real vars
   * @param other the same rendered with the perturbed vars, or empty when that render failed
   */
  public static java.util.Set<String> derived(
      List<String> real, java.util.Optional<List<String>> other) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    boolean all = other.isEmpty() || other.get().size() != real.size();
    for (int i = 0; i < real.size(); i++) {
      String text = real.get(i);
      if ((all || !text.equals(other.get().get(i))) && text.length() >= MIN_LENGTH) {
        out.add(text);
      }
    }
    return out;
  }

  /**
   * The parts of a rendered text that derive from secrets, to mask in what is shown line by line (a
   * module's message, a file's diff): of each line that differs from the perturbed rendering's
   * line, the words that differ ({@link #derivedWords}), or the whole line when one of them is too
   * short to mask alone (a character of a secret split by {@code list}). Every line when the two do
   * not have the same lines in number or the perturbed render failed.
   */
  public static java.util.Set<String> derivedParts(String real, java.util.Optional<String> other) {
    if (other.isPresent() && other.get().equals(real)) {
      return java.util.Set.of();
    }
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    List<String> lines = List.of(real.split("\n", -1));
    java.util.Optional<List<String>> otherLines = other.map(o -> List.of(o.split("\n", -1)));
    boolean all = otherLines.isEmpty() || otherLines.get().size() != lines.size();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!all && line.equals(otherLines.get().get(i))) {
        continue;
      }
      java.util.Set<String> words =
          all
              ? java.util.Set.of(line)
              : derivedWords(line, java.util.Optional.of(otherLines.get().get(i)));
      if (!all && hasShortDerivedWord(line, otherLines.get().get(i))) {
        words = java.util.Set.of(line);
      }
      words.stream().filter(w -> w.length() >= MIN_LENGTH).forEach(out::add);
    }
    return out;
  }

  private static final String SEPARATORS = "[\\s'\"=;|&()<>`$]+";

  /** Whether a word that differs between the two lines is shorter than {@link #MIN_LENGTH}. */
  private static boolean hasShortDerivedWord(String line, String other) {
    String[] a = line.split(SEPARATORS);
    String[] b = other.split(SEPARATORS);
    if (a.length != b.length) {
      return true;
    }
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals(b[i]) && a[i].length() < MIN_LENGTH) {
        return true;
      }
    }
    return false;
  }

  /**
   * The words of a rendered text that derive from secrets (for a command into which a template
   * pasted values as text): the words that differ from the perturbed rendering's, or the whole text
   * when the two do not have the same words in number or the perturbed render failed.
   */
  public static java.util.Set<String> derivedWords(String real, java.util.Optional<String> other) {
    if (other.isPresent() && other.get().equals(real)) {
      return java.util.Set.of();
    }
    List<String> words = List.of(real.split(SEPARATORS));
    java.util.Optional<List<String>> otherWords = other.map(o -> List.of(o.split(SEPARATORS)));
    if (otherWords.isEmpty() || otherWords.get().size() != words.size()) {
      return real.length() >= MIN_LENGTH ? java.util.Set.of(real) : java.util.Set.of();
    }
    return derived(words, otherWords);
  }
}
