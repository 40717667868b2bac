package dev.orchestrator.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@code k=v} texts ({@code ansible-playbook -e 'a=1 b=2'}) are read as Ansible's own {@code
 * parse_kv} reads them: random and hostile texts built from quotes, backslashes, escapes, {@code
 * =}, Jinja2 braces, spaces, line breaks and unicode are given to Ansible (in the Python that runs
 * Debian's {@code ansible-inventory}) and to {@link KeyValues}, which must agree on every one: the
 * same options and free-form words, or both refuse.
 */
class KeyValuesParityIT {
  private static AnsibleOracle ansible;

  @BeforeContainer
  static void startAnsible() throws IOException {
    ansible = AnsibleOracle.start();
  }

  @AfterContainer
  static void stopAnsible() throws IOException {
    if (ansible != null) {
      ansible.close();
    }
  }

  private static final List<String> PIECES =
      List.of(
          "a",
          "b=",
          "=",
          "k=v",
          " ",
          "  ",
          "\n",
          "\\",
          "\\=",
          "'",
          "\"",
          "x y",
          "{{",
          "}}",
          "{{ v }}",
          "{%",
          "%}",
          "{#",
          "#}",
          "\\n",
          "\\t",
          "\\\\",
          "\\'",
          "\\\"",
          "\\x41",
          "\\u00e9",
          "\\U0001F600",
          "\\N{BULLET}",
          "\\N{nope}",
          "\\x4",
          "é",
          "中",
          "😀",
          "\u00a0",
          "\u2028",
          "\t",
          "=x",
          "a=\"q r\"",
          "b='s t'",
          "\\ ");

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
  }

  /** Ansible's {@code join_args}: a space between words, none after a line break. */
  private static String joinArgs(List<String> words) {
    StringBuilder b = new StringBuilder();
    for (String w : words) {
      if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') {
        b.append(' ');
      }
      b.append(w);
    }
    return b.toString();
  }

  @Property(tries = 2000)
  void ourParseIsAnsibles(@ForAll("texts") String text) throws IOException {
    JsonNode answer = ansible.ask("kv", text);
    String ours;
    try {
      KeyValues.Parsed p = KeyValues.parse(text);
      Map<String, String> all = new LinkedHashMap<>(p.options());
      if (!p.rawParams().isEmpty()) {
        all.put("_raw_params", joinArgs(p.rawParams()));
      }
      ours = AnsibleOracle.mapper().writeValueAsString(all);
    } catch (InputException e) {
      ours = "error";
    }
    String theirs =
        answer.get("kind").asText().equals("error")
            ? "error"
            : AnsibleOracle.mapper().writeValueAsString(answer.get("options"));
    assertEquals(theirs, ours, "for " + AnsibleOracle.mapper().writeValueAsString(text));
  }
}
