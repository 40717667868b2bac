package dev.orchestrator.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Ansible's {@code to_yaml} ({@code yaml.dump(v, default_flow_style=None)}: keys sorted, a list or
 * map of scalars in flow style), {@code to_nice_yaml} (block style, indent 4) and {@code
 * from_yaml}, with snakeyaml-engine. PyYAML's choice of quoting for a string may differ.
 */
final class PyYaml {
  private PyYaml() {}

  /** Writes {@code value} as YAML. */
  static String dump(Object value, boolean nice, int indent) {
    DumpSettings settings =
        DumpSettings.builder()
            .setDefaultFlowStyle(nice ? FlowStyle.BLOCK : FlowStyle.AUTO)
            .setIndent(Math.max(2, Math.min(indent, 9)))
            .setIndicatorIndent(0)
            .setWidth(80)
            .build();
    String out = new Dump(settings).dumpToString(plain(value, 0));
    PyStrings.bounded(out.length());
    return out;
  }

  /** Reads YAML text (one document, at most 50 aliases). */
  static Object load(String text) {
    LoadSettings settings =
        LoadSettings.builder().setMaxAliasesForCollections(50).setAllowRecursiveKeys(false).build();
    try {
      return new Load(settings).loadFromString(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "from_yaml: the text is not YAML ("
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + ")");
    }
  }

  /** Plain maps (keys sorted, as PyYAML's sort_keys) and lists, for the dumper. */
  private static Object plain(Object v, int depth) {
    if (depth > 100) {
      throw new IllegalArgumentException("to_yaml: the value nests more than 100 levels");
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), plain(x, depth + 1)));
      return out;
    }
    if (v instanceof Iterable<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(plain(x, depth + 1)));
      return out;
    }
    return v;
  }
}
