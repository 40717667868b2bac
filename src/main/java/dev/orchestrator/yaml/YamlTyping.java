package dev.orchestrator.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.JsonSchema;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * How plain (unquoted) scalars get their types: which text is a boolean, a number, null or a
 * string. Quoted scalars are strings in both.
 */
public enum YamlTyping {
  /**
   * YAML 1.2's JSON schema, snakeyaml-engine's default: only {@code true}/{@code false}, {@code
   * null} (and an empty value), decimal integers and floats are typed. Playbooks are read so.
   */
  YAML_1_2_JSON,

  /**
   * YAML 1.1 as PyYAML's {@code SafeLoader} types it, i.e. as Ansible reads inventories and {@code
   * group_vars}/{@code host_vars} files: {@code yes}/{@code no}/{@code on}/{@code off} are
   * booleans, {@code 0755} is octal, {@code 1:20} sexagesimal, {@code 1_000} an integer, {@code
   * 2001-12-14} a timestamp (given as Python's ISO text), {@code <<} merges mappings and a plain
   * {@code =} is refused. Source: PyYAML's {@code resolver.py} and {@code constructor.py}.
   */
  PYYAML_1_1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Returns the snakeyaml-engine schema whose resolver tags the plain scalars of {@code text} under
   * this typing (values are built from the tags by {@link YamlNode}, not by snakeyaml-engine's
   * constructors). Under {@link #PYYAML_1_1}, a text that is JSON is typed as JSON: Ansible's
   * {@code from_yaml} tries {@code json.loads} before PyYAML, so {@code 1e3} in a JSON file is a
   * number although PyYAML would keep it as text.
   */
  Schema schema(String text) {
    if (this == YAML_1_2_JSON || isJson(text)) {
      return new JsonSchema();
    }
    return new Schema() {
      private final ScalarResolver resolver = new PyYamlScalars();

      @Override
      public ScalarResolver getScalarResolver() {
        return resolver;
      }

      @Override
      public Map<Tag, ConstructNode> getSchemaTagConstructors() {
        return Map.of();
      }
    };
  }

  private static boolean isJson(String text) {
    String t = text.strip();
    if (t.isEmpty() || "{[\"-0123456789tfn".indexOf(t.charAt(0)) < 0) {
      return false;
    }
    try {
      return JSON.readTree(t) != null;
    } catch (JsonProcessingException e) {
      return false;
    }
  }
}
