package dev.orchestrator.app;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.Secrets;
import dev.orchestrator.inventory.KeyValues;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlTyping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -e}/{@code --extra-vars} texts read as ansible-playbook reads them ({@code
 * load_extra_vars} in ansible-core 2.14 {@code lib/ansible/utils/vars.py},
 * https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#defining-variables-at-runtime):
 *
 * <ul>
 *   <li>{@code @FILE}: a YAML (or JSON) file holding a mapping, typed as Ansible's PyYAML types it
 *       ({@code yes} is true, {@code 010} is 8);
 *   <li>a text starting with {@code {} or {@code [}: YAML (or JSON) itself, which must be a mapping
 *       ({@code -e '{"n": 1}'}, {@code -e '{a: [1, 2]}'});
 *   <li>a text starting with {@code /} or {@code .}: refused, as Ansible does (a file name without
 *       its {@code @});
 *   <li>anything else: {@code k=v} words ({@link KeyValues}: several per text, quotes and escapes
 *       as Ansible), every value a text.
 * </ul>
 *
 * An empty text is nothing. The texts are merged in order, a later one replacing a variable an
 * earlier one set (Ansible's default {@code hash_behaviour = replace}).
 *
 * <p>Where we differ from Ansible: a text {@code NAME=REST} whose split leaves words without
 * {@code =} or fails (an unbalanced quote) is one variable with the whole {@code REST}, as
 * orchestrator has always read {@code -e} ({@code -e 'cmd=touch /tmp/x'} is {@code cmd = "touch
 * /tmp/x"}; Ansible would set {@code cmd = "touch"} and a variable {@code _raw_params}, or refuse
 * the quote); any other word without {@code =} ({@code -e foo}) is refused (Ansible silently sets
 * {@code _raw_params}); a name that is not a variable name ({@code
 * -e a-b=1}) is refused (Ansible sets a variable no template can name); {@code @} of a missing file
 * is exit 2 naming the file (Ansible: exit 1, "Unable to retrieve file contents"); a non-mapping
 * is exit 2 (Ansible: 5, "Invalid extra vars data supplied"); an empty {@code @FILE} is no
 * variables, as an empty {@code --vars-file} (Ansible refuses it).
 */
final class ExtraVars {
  private static final Pattern ONE_PAIR =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);

  private ExtraVars() {}

  /**
   * Reads the texts, in order.
   *
   * @param texts the {@code -e} texts as given
   * @return the variables by name, a later text's value replacing an earlier one's (YAML nulls
   *     kept)
   * @throws InputException naming the text (masked when it looks secret) or the file
   */
  static Map<String, Object> parse(List<String> texts) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String text : texts) {
      if (text.isEmpty()) {
        continue;
      }
      out.putAll(checkNames(text, read(text)));
    }
    return out;
  }

  private static Map<String, Object> read(String text) {
    if (text.startsWith("@")) {
      return file(Path.of(text.substring(1)), text);
    }
    if (text.startsWith("/") || text.startsWith(".")) {
      throw new InputException(
          "-e '" + shown(text) + "' looks like a file name",
          "prepend it with '@' as Ansible asks: -e '@" + shown(text) + "'");
    }
    if (text.startsWith("{") || text.startsWith("[")) {
      YamlNode root = YamlDocument.parse(Path.of("-e"), "extra vars", text, YamlTyping.PYYAML_1_1);
      return mapping(root, text);
    }
    Matcher onePair = ONE_PAIR.matcher(text);
    KeyValues.Parsed kv;
    try {
      kv = KeyValues.parse(text);
    } catch (InputException e) {
      if (onePair.matches()) {
        return onePair(onePair);
      }
      throw new InputException(
          "-e '" + shown(text) + "': " + e.getMessage().replace(text, shown(text)), e.hint());
    }
    if (!kv.rawParams().isEmpty()) {
      if (onePair.matches()) {
        return onePair(onePair);
      }
      throw new InputException(
          "-e '" + shown(text) + "' is not KEY=VALUE",
          "write e.g. -e target_version=28.0.14, or several: -e 'a=1 b=\"x y\"'");
    }
    return new LinkedHashMap<>(kv.options());
  }

  /** {@code NAME=REST}: one variable with the whole rest, as orchestrator always read -e. */
  private static Map<String, Object> onePair(Matcher m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(m.group(1), m.group(2));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> file(Path file, String text) {
    if (Files.isDirectory(file) || (Files.exists(file) && !Files.isRegularFile(file))) {
      throw new InputException(
          "-e "
              + text
              + ": "
              + file
              + (Files.isDirectory(file) ? " is a directory" : " is not a regular file"),
          "pass a file of variables (YAML or JSON), e.g. -e @vars.yml");
    }
    if (!Files.isRegularFile(file)) {
      throw new InputException(
          "-e " + text + ": the file " + file + " does not exist",
          "check the path (relative to the current folder: " + Path.of("").toAbsolutePath() + ")");
    }
    YamlNode root = YamlDocument.load(file, "extra vars file", YamlTyping.PYYAML_1_1);
    return mapping(root, text);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapping(YamlNode root, String text) {
    if (root.isNull() || !root.isMapping()) {
      throw new InputException(
          "-e '" + shown(text) + "' is not a mapping of variables",
          "write a YAML or JSON mapping, e.g. -e '{\"a\": 1}' or a file of 'name: value' lines");
    }
    return new LinkedHashMap<>((Map<String, Object>) root.toPlain("the extra vars"));
  }

  private static Map<String, Object> checkNames(String text, Map<String, Object> vars) {
    for (String name : vars.keySet()) {
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new InputException(
            "-e '"
                + shown(text)
                + "' sets '"
                + (Secrets.isSecretName(name) ? Secrets.MASK : name)
                + "', which is not a variable name",
            "a name is letters, digits and '_', not starting with a digit");
      }
    }
    return vars;
  }

  /** The text, or the mask when it looks secret. */
  private static String shown(String text) {
    return Secrets.isSecretName(text) ? Secrets.MASK : text;
  }
}
