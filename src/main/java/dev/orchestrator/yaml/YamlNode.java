package dev.orchestrator.yaml;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node with its file and position. Accessors check the node's type and throw {@link
 * InputException}s that name the property and its {@code file:line:column}.
 */
public final class YamlNode {
  private final Path file;
  private final Node node;
  private final YamlTyping typing;

  YamlNode(Path file, Node node, YamlTyping typing) {
    this.file = Objects.requireNonNull(file);
    this.node = Objects.requireNonNull(node);
    this.typing = Objects.requireNonNull(typing);
  }

  static YamlNode emptyMapping(Path file, YamlTyping typing) {
    return new YamlNode(file, new MappingNode(Tag.MAP, List.of(), FlowStyle.BLOCK), typing);
  }

  /** The parsed node, for {@link YamlNodes}. */
  Node raw() {
    return node;
  }

  YamlTyping typing() {
    return typing;
  }

  private YamlNode child(Node n) {
    return new YamlNode(file, n, typing);
  }

  /** Returns the file this node came from. */
  public Path file() {
    return file;
  }

  /** Returns where this node starts, {@code file:1:1} when the parser gave no mark. */
  public SourceLocation location() {
    return node.getStartMark()
        .map(m -> YamlDocument.at(file, m))
        .orElse(new SourceLocation(file, 1, 1));
  }

  /** Returns whether this is a mapping. */
  public boolean isMapping() {
    return node instanceof MappingNode;
  }

  /** Returns whether this is a sequence. */
  public boolean isSequence() {
    return node instanceof SequenceNode;
  }

  /** Returns whether this is an explicit or implicit null ({@code ~}, {@code null}, empty). */
  public boolean isNull() {
    return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }

  /** Returns whether this is a scalar (string, number, boolean or null). */
  public boolean isScalar() {
    return node instanceof ScalarNode;
  }

  /**
   * Returns this node as a mapping with unique string keys. Under {@link YamlTyping#PYYAML_1_1},
   * merge keys ({@code <<: *anchor} or {@code <<: [*a, *b]}) are applied as PyYAML applies them:
   * the merged entries come first, an earlier mapping of a list wins over a later one, and the
   * mapping's own keys win over merged ones.
   *
   * @param what the property name, for messages
   * @throws InputException if it is not a mapping, has duplicate keys, or merges something other
   *     than mappings
   */
  public YamlMap asMap(String what) {
    if (!(node instanceof MappingNode m)) {
      throw typeError(what, "a mapping (key: value lines)");
    }
    Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
    List<NodeTuple> own = m.getValue();
    if (typing == YamlTyping.PYYAML_1_1) {
      for (NodeTuple t : merged(m)) {
        if (t.getKeyNode() instanceof ScalarNode ks) {
          entries.put(
              ks.getValue(),
              new YamlMap.Entry(ks.getValue(), child(t.getKeyNode()), child(t.getValueNode())));
        }
      }
      own = own.stream().filter(t -> !isMergeKey(t.getKeyNode())).toList();
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (NodeTuple t : own) {
      YamlNode key = child(t.getKeyNode());
      if (!(t.getKeyNode() instanceof ScalarNode ks)) {
        throw new InputException(
            key.location(),
            "a key in '" + what + "' is not a plain name",
            "use a string as the key");
      }
      String name = ks.getValue();
      YamlMap.Entry previous = entries.get(name);
      if (!seen.add(name)) {
        throw new InputException(
            key.location(),
            "duplicate key '"
                + name
                + "' in '"
                + what
                + "' (first defined at line "
                + previous.key().location().line()
                + ")",
            "remove or rename one of the two '" + name + "' entries");
      }
      entries.put(name, new YamlMap.Entry(name, key, child(t.getValueNode())));
    }
    return new YamlMap(this, what, entries);
  }

  private static boolean isMergeKey(Node key) {
    return key instanceof ScalarNode s && PyYamlScalars.MERGE.equals(s.getTag());
  }

  /**
   * The entries a mapping's merge keys bring, in PyYAML's order (its {@code flatten_mapping}): each
   * {@code <<} in turn; for a list, its last mapping's entries first, so that earlier ones win when
   * later entries replace earlier ones. Merged mappings are flattened first.
   */
  private List<NodeTuple> merged(MappingNode m) {
    List<NodeTuple> out = new ArrayList<>();
    for (NodeTuple t : m.getValue()) {
      if (!isMergeKey(t.getKeyNode())) {
        continue;
      }
      Node v = t.getValueNode();
      if (v instanceof MappingNode source) {
        out.addAll(flattened(source));
      } else if (v instanceof SequenceNode list) {
        List<List<NodeTuple>> sources = new ArrayList<>();
        for (Node item : list.getValue()) {
          if (!(item instanceof MappingNode source)) {
            throw child(item).mergeError();
          }
          sources.add(flattened(source));
        }
        for (int i = sources.size() - 1; i >= 0; i--) {
          out.addAll(sources.get(i));
        }
      } else {
        throw child(v).mergeError();
      }
    }
    return out;
  }

  /** A mapping's entries with its own merge keys applied: merged entries first, then its own. */
  private List<NodeTuple> flattened(MappingNode m) {
    List<NodeTuple> out = merged(m);
    m.getValue().stream().filter(t -> !isMergeKey(t.getKeyNode())).forEach(out::add);
    return out;
  }

  private InputException mergeError() {
    return error(
        "a merge key '<<' must be given a mapping or a list of mappings, found " + describe(),
        "merge anchored mappings, e.g. '<<: *defaults' or '<<: [*a, *b]'; quote '<<' to use it as"
            + " a plain key (Ansible refuses this file too)");
  }

  /**
   * Returns this node as a list; a null node is an empty list.
   *
   * @param what the property name, for messages
   * @throws InputException if it is neither a sequence nor null
   */
  public List<YamlNode> asList(String what) {
    if (isNull()) {
      return List.of();
    }
    if (!(node instanceof SequenceNode s)) {
      throw typeError(what, "a list ('- item' lines)");
    }
    List<YamlNode> out = new ArrayList<>();
    for (Node n : s.getValue()) {
      out.add(child(n));
    }
    return out;
  }

  /**
   * Returns this scalar's text. Numbers and booleans are accepted and given as written.
   *
   * @param what the property name, for messages
   * @throws InputException if this is not a scalar, or is null
   */
  public String asString(String what) {
    if (!(node instanceof ScalarNode s) || isNull()) {
      throw typeError(what, "a string");
    }
    return s.getValue();
  }

  /**
   * Returns this scalar as an int.
   *
   * @param what the property name, for messages
   * @throws InputException if it is not an integer
   */
  public int asInt(String what) {
    if (node instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
      try {
        if (typing == YamlTyping.PYYAML_1_1) {
          Number n = (Number) scalarValue(s);
          if (n instanceof Long l && l == l.intValue()) {
            return l.intValue();
          }
          throw new NumberFormatException(s.getValue());
        }
        return Integer.parseInt(s.getValue());
      } catch (NumberFormatException e) {
        throw typeError(what, "an integer in range");
      }
    }
    throw typeError(what, "an integer");
  }

  /**
   * Returns this scalar as a boolean ({@code true}/{@code false} in YAML 1.2; {@code yes}, {@code
   * on} and the like too under {@link YamlTyping#PYYAML_1_1}).
   *
   * @param what the property name, for messages
   * @throws InputException if it is not a boolean
   */
  public boolean asBoolean(String what) {
    if (node instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
      return (Boolean) scalarValue(s);
    }
    throw typeError(what, "true or false");
  }

  /** Returns whether this scalar is a YAML boolean. */
  public boolean isBoolean() {
    return node instanceof ScalarNode s && Tag.BOOL.equals(s.getTag());
  }

  /** Returns whether this is a string scalar (plain or quoted), not a number, boolean or null. */
  public boolean isString() {
    return node instanceof ScalarNode s && Tag.STR.equals(s.getTag());
  }

  /** Returns whether this scalar is a YAML integer. */
  public boolean isInt() {
    return node instanceof ScalarNode s && Tag.INT.equals(s.getTag());
  }

  /**
   * Converts this node into plain Java values: maps (insertion-ordered), lists, strings, longs,
   * doubles, booleans and null. Used for {@code vars}. Under {@link YamlTyping#PYYAML_1_1} integers
   * beyond a long are {@code BigInteger}s, a timestamp is Python's ISO text of it, and a key that
   * is a boolean, number or null is named as Ansible's JSON names it ({@code yes:} is {@code
   * "true"}, {@code 0x10:} is {@code "16"}).
   *
   * @param what the property name, for messages
   * @throws InputException on duplicate keys, or a scalar Ansible refuses to load (e.g. a plain
   *     {@code =}, an invalid date)
   */
  public Object toPlain(String what) {
    if (node instanceof MappingNode) {
      Map<String, Object> out = new LinkedHashMap<>();
      Map<String, YamlNode> keys = new LinkedHashMap<>();
      for (YamlMap.Entry e : asMap(what).entries()) {
        String name = e.key().plainKey(e.name());
        YamlNode previous = keys.putIfAbsent(name, e.key());
        if (previous != null) {
          throw e.key()
              .error(
                  "duplicate key '"
                      + name
                      + "' in '"
                      + what
                      + "' (written '"
                      + e.name()
                      + "' here, first defined at line "
                      + previous.location().line()
                      + ")",
                  "remove or rename one of the two entries; quote a key to keep it as text");
        }
        out.put(name, e.value().toPlain(what + "." + e.name()));
      }
      return out;
    }
    if (node instanceof SequenceNode) {
      List<Object> out = new ArrayList<>();
      for (YamlNode n : asList(what)) {
        out.add(n.toPlain(what));
      }
      return out;
    }
    ScalarNode s = (ScalarNode) node;
    if (typing == YamlTyping.PYYAML_1_1) {
      return scalarValue(s);
    }
    Tag tag = s.getTag();
    String v = s.getValue();
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    if (Tag.BOOL.equals(tag)) {
      return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
    }
    if (Tag.INT.equals(tag)) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    if (Tag.FLOAT.equals(tag)) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    return v;
  }

  /** The value of a scalar under YAML 1.1, as PyYAML constructs it. */
  private Object scalarValue(ScalarNode s) {
    try {
      return PyYamlScalars.construct(s.getTag(), s.getValue());
    } catch (IllegalArgumentException e) {
      throw error(
          e.getMessage(), "quote the value to keep it as text, e.g. \"" + s.getValue() + "\"");
    }
  }

  /**
   * The name a vars key has: its text, or under YAML 1.1 for a key that is a boolean, number or
   * null, the text Python's JSON gives it ({@code true}, {@code 16}, {@code null}).
   */
  private String plainKey(String text) {
    if (typing != YamlTyping.PYYAML_1_1
        || !(node instanceof ScalarNode s)
        || !PyYamlScalars.typed(s.getTag())) {
      return text;
    }
    Object v = scalarValue(s);
    return v == null ? "null" : v.toString();
  }

  /** Builds an error located at this node. */
  public InputException error(String message, String hint) {
    return new InputException(location(), message, hint);
  }

  private InputException typeError(String what, String expected) {
    return new InputException(
        location(),
        "'" + what + "' must be " + expected + ", found " + describe(),
        "write '"
            + what
            + "' as "
            + expected
            + (node instanceof MappingNode && expected.equals("a string")
                ? "; a value that starts with '{{' must be quoted, e.g. \"{{ var }}\""
                : ""));
  }

  private String describe() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (isNull()) {
      return "nothing (null)";
    }
    String v = ((ScalarNode) node).getValue();
    return "'" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "'";
  }
}
