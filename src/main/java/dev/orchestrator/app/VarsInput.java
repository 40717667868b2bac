package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables a caller gives for a run, as given (before any merge): {@code -e KEY=VALUE} texts,
 * vars files and secrets files. {@link RunInputs} merges them with a stored run's, by precedence,
 * in one place.
 *
 * @param extraVars {@code -e} texts ({@code KEY=VALUE} words, a YAML/JSON mapping, {@code @FILE}),
 *     in the order given; a later one wins
 * @param varsFiles YAML files of variables, in the order given
 * @param secretsFiles YAML files of secret variables (never stored), in the order given
 * @param becomePassword the password {@code -K} asked for: the value of {@code
 *     ansible_become_password} where no {@code -e} or secrets file sets it; never stored, and
 *     masked by {@link #toString()}
 */
public record VarsInput(
    List<String> extraVars,
    List<Path> varsFiles,
    List<Path> secretsFiles,
    java.util.Optional<String> becomePassword) {
  /** The variable {@code -K}'s password is the value of, for {@code become} (sudo, su). */
  public static final String BECOME_PASSWORD = "ansible_become_password";

  /** Copies the lists (null elements are refused). */
  public VarsInput {
    extraVars = List.copyOf(extraVars);
    varsFiles = List.copyOf(varsFiles);
    secretsFiles = List.copyOf(secretsFiles);
    java.util.Objects.requireNonNull(becomePassword, "becomePassword");
  }

  /** Variables without {@code -K}. */
  public VarsInput(List<String> extraVars, List<Path> varsFiles, List<Path> secretsFiles) {
    this(extraVars, varsFiles, secretsFiles, java.util.Optional.empty());
  }

  /** The fields, the become password masked: a record's own text would print it. */
  @Override
  public String toString() {
    return "VarsInput[extraVars="
        + extraVars.size()
        + " text(s), varsFiles="
        + varsFiles
        + ", secretsFiles="
        + secretsFiles
        + ", becomePassword="
        + becomePassword.map(p -> dev.orchestrator.common.Secrets.MASK).orElse("none")
        + "]";
  }

  /**
   * Sets {@code -K}'s password as {@link #BECOME_PASSWORD} in {@code vars} where nothing set it: an
   * {@code -e} or secrets file value wins.
   */
  void becomePasswordInto(Map<String, Object> vars) {
    becomePassword.ifPresent(p -> vars.putIfAbsent(BECOME_PASSWORD, p));
  }

  /** No variables given. */
  public static VarsInput none() {
    return new VarsInput(List.of(), List.of(), List.of());
  }

  /**
   * Reads the {@code -e} texts as ansible-playbook does ({@link ExtraVars}).
   *
   * @return the values by name, in the order given, a later text's replacing an earlier one's
   * @throws InputException naming the text (masked when it looks secret) when it is not KEY=VALUE
   *     words, a YAML/JSON mapping or {@code @FILE} of one
   */
  Map<String, Object> parse() {
    return ExtraVars.parse(extraVars);
  }

  /**
   * What the vars and secrets files hold, each file read once.
   *
   * @param vars their variables, vars files first, then secrets files
   * @param secretNames the names the secrets files define
   */
  record FileVars(Map<String, Object> vars, Set<String> secretNames) {}

  /** Reads vars and secrets files (YAML maps; an empty file is no variables). */
  static FileVars readFiles(List<Path> files, List<Path> secretFiles) {
    Map<String, Object> vars = new LinkedHashMap<>();
    Set<String> secretNames = new LinkedHashSet<>();
    for (Path f : files) {
      vars.putAll(readFile(f, "vars file"));
    }
    for (Path f : secretFiles) {
      Map<String, Object> secrets = readFile(f, "secrets file");
      vars.putAll(secrets);
      secretNames.addAll(secrets.keySet());
    }
    return new FileVars(vars, secretNames);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readFile(Path f, String what) {
    dev.orchestrator.yaml.YamlNode root = dev.orchestrator.yaml.YamlDocument.load(f, what);
    if (root.isNull()) {
      return Map.of();
    }
    root.asMap("the " + what);
    return (Map<String, Object>) root.toPlain("the " + what);
  }
}
