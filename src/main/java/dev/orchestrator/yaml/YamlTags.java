package dev.orchestrator.yaml;

import dev.orchestrator.common.InputException;
import java.nio.file.Path;
import org.snakeyaml.engine.v2.nodes.Node;

/** The tags a YAML value may carry ({@link YamlDocument} checks every node with {@link #check}). */
final class YamlTags {
  private YamlTags() {}

  /** The tags plain YAML gives its values (the schemas' own, PyYAML's included). */
  private static final java.util.Set<org.snakeyaml.engine.v2.nodes.Tag> KNOWN_TAGS =
      java.util.Set.of(
          org.snakeyaml.engine.v2.nodes.Tag.STR,
          org.snakeyaml.engine.v2.nodes.Tag.INT,
          org.snakeyaml.engine.v2.nodes.Tag.FLOAT,
          org.snakeyaml.engine.v2.nodes.Tag.BOOL,
          org.snakeyaml.engine.v2.nodes.Tag.NULL,
          org.snakeyaml.engine.v2.nodes.Tag.SEQ,
          org.snakeyaml.engine.v2.nodes.Tag.MAP,
          PyYamlScalars.TIMESTAMP,
          PyYamlScalars.MERGE,
          PyYamlScalars.VALUE);

  /**
   * Refuses a value with a tag we would otherwise read as plain text: Ansible's {@code !vault}
   * (encrypted: its ciphertext would be used as the value) and {@code !unsafe} (a text Ansible
   * never templates: we would template it), and any other tag ({@code !!binary}, {@code
   * !!python/...}, {@code !foo}), which Ansible's loader refuses too. The standard scalar, list and
   * mapping tags ({@code !!str}, {@code !!int}, ...) stay allowed.
   */
  static void check(Path file, String what, Node n) {
    org.snakeyaml.engine.v2.nodes.Tag tag = n.getTag();
    if (KNOWN_TAGS.contains(tag)) {
      return;
    }
    String name = tag.getValue();
    String shown =
        name.startsWith(org.snakeyaml.engine.v2.nodes.Tag.PREFIX)
            ? "!!" + name.substring(org.snakeyaml.engine.v2.nodes.Tag.PREFIX.length())
            : name;
    String hint =
        switch (name) {
          case "!vault" ->
              "Ansible Vault is not supported: pass the secret with --secrets-file FILE (masked,"
                  + " never stored) or -e, and remove the !vault value";
          case "!unsafe" ->
              "orchestrator templates every text: keep a literal {{ ... }} with"
                  + " {% raw %}...{% endraw %}, and remove the !unsafe tag";
          default -> "remove the tag: values are texts, numbers, booleans, lists and mappings";
        };
    throw new InputException(
        n.getStartMark()
            .map(m -> YamlDocument.at(file, m))
            .orElse(new dev.orchestrator.common.SourceLocation(file, 1, 1)),
        "the "
            + what
            + " has a value tagged "
            + dev.orchestrator.common.Echo.escaped(shown)
            + ", which orchestrator does not read",
        hint);
  }
}
