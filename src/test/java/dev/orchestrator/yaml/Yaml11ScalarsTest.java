package dev.orchestrator.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Issue #14: inventories and vars files are typed as Ansible (PyYAML, YAML 1.1) types them;
 * playbooks keep the YAML 1.2 reading. The expected values are what {@code ansible-inventory
 * --list} (ansible-core 2.14.18) prints for the same text (corpus family {@code yaml11}).
 */
class Yaml11ScalarsTest {
  private static Map<String, Object> read(String yaml, boolean yaml11) {
    YamlNode root =
        YamlDocument.parse(
            Path.of("t.yml"),
            "inventory",
            yaml,
            yaml11 ? YamlTyping.PYYAML_1_1 : YamlTyping.YAML_1_2_JSON);
    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) root.toPlain("vars");
    return plain;
  }

  @Test
  void unquotedScalarsAreTypedAsPyYamlTypesThem() {
    Map<String, Object> v =
        read(
            "a: yes\nb: Off\nc: 0755\nd: 0x1F\ne: 1_000\nf: 1:20\ng: ~\nh:\ni: 1e3\nj: 1.5e+3\n"
                + "k: \"yes\"\nl: '0755'\nm: 0o17\nn: y\no: [on, 010]\np: 0b101\nq: -0:30\n",
            true);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", true);
    expected.put("b", false);
    expected.put("c", 493L);
    expected.put("d", 31L);
    expected.put("e", 1000L);
    expected.put("f", 80L);
    expected.put("g", null);
    expected.put("h", null);
    expected.put("i", "1e3");
    expected.put("j", 1500.0);
    expected.put("k", "yes");
    expected.put("l", "0755");
    expected.put("m", "0o17");
    expected.put("n", "y");
    expected.put("o", List.of(true, 8L));
    expected.put("p", 5L);
    expected.put("q", "-0:30");
    assertEquals(expected, v);
  }

  @Test
  void playbooksKeepTheYaml12Reading() {
    Map<String, Object> v = read("a: yes\nc: 0755\ni: 1e3\n", false);
    assertEquals("yes", v.get("a"));
    assertEquals(1000.0, v.get("i"));
  }

  @Property(tries = 300)
  void decimalIntegersReadTheSameInBothSchemas(@ForAll long n) {
    Map<String, Object> v = read("n: " + n + "\n", true);
    assertEquals(n, v.get("n"));
  }

  @Test
  void plainTextStaysText() {
    Map<String, Object> v = read("a: nextcloud\nb: 28.0.14\n", true);
    assertEquals("nextcloud", v.get("a"));
    assertEquals("28.0.14", v.get("b"));
  }
}
