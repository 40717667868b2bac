package dev.orchestrator.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.common.InputException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tagged values: the standard ones are read, every other tag is refused at its position instead of
 * being read as plain text (an outside attack found {@code !vault} ciphertext deployed as the value
 * and {@code !unsafe} text templated).
 */
class YamlTagsTest {
  private static final Path FILE = Path.of("site.yml");

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "!vault |\n    $ANSIBLE_VAULT;1.1;AES256\n    6162",
        "!unsafe \"{{ inventory_hostname }}\"",
        "!!binary aGVsbG8=",
        "!!python/object:os.system [id]",
        "!foo bar",
        "!!set {a: null}"
      })
  void aTagWeDoNotReadIsRefusedAtItsPosition(String value) {
    for (YamlTyping typing : YamlTyping.values()) {
      // given a value with that tag, when parsed
      InputException e =
          assertThrows(
              InputException.class,
              () -> YamlDocument.parse(FILE, "playbook", "a: 1\nv: " + value + "\n", typing));
      // then refused at the value, naming the tag
      assertTrue(e.getMessage().startsWith("site.yml:2:4: "), e.getMessage());
      assertTrue(e.getMessage().contains("tagged !"), e.getMessage());
    }
  }

  @Test
  void vaultAndUnsafeSayWhatToWriteInstead() {
    InputException vault =
        assertThrows(
            InputException.class,
            () ->
                YamlDocument.parse(
                    FILE,
                    "vars",
                    "pw: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n",
                    YamlTyping.PYYAML_1_1));
    assertTrue(vault.hint().contains("--secrets-file"), vault.hint());
    InputException unsafe =
        assertThrows(
            InputException.class,
            () ->
                YamlDocument.parse(FILE, "vars", "t: !unsafe '{{ x }}'\n", YamlTyping.PYYAML_1_1));
    assertTrue(unsafe.hint().contains("{% raw %}"), unsafe.hint());
  }

  @Test
  void theStandardTagsAreRead() {
    // given values with the standard tags, and PyYAML's merge key
    String yaml =
        "s: !!str 010\ni: !!int \"7\"\nf: !!float 1\nb: !!bool yes\nn: !!null ''\n"
            + "l: !!seq [1]\nm: !!map {k: v}\nbase: &b {x: 1}\nmerged: {<<: *b, y: 2}\n";
    // when parsed as PyYAML types it, then read
    Map<?, ?> m =
        (Map<?, ?>) YamlDocument.parse(FILE, "vars", yaml, YamlTyping.PYYAML_1_1).toPlain("vars");
    assertEquals("010", m.get("s"));
    assertEquals("{x=1, y=2}", String.valueOf(m.get("merged")));
  }
}
