package dev.orchestrator.yaml;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Whether unquoted scalars are typed as YAML 1.1 (PyYAML, as Ansible reads inventories). */
  private final boolean yaml11;

  YamlNode(Path file, Node node) {
    this(file, node, false);
  }

  private YamlNode(Path file, Node node, boolean yaml11) {
    this.file = file;
    this.node = node;
    this.yaml11 = yaml11;
  }

  /**
   * This node, and every node below it, with its unquoted scalars typed by {@link #toPlain} as YAML
   * 1.1 types them ({@link Yaml11Scalars}): how Ansible (PyYAML) reads inventories and vars files.
   * Playbooks keep the YAML 1.2 reading.
   */
  public YamlNode yaml11() {
    return new YamlNode(file, node, true);
  }

  static YamlNode emptyMapping(Path file) {
    return new YamlNode(file, new MappingNode(Tag.MAP, List.of(), FlowStyle.BLOCK));
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
   * Returns this node as a mapping with unique string keys.
   *
   * @param what the property name, for messages
   * @throws InputException if it is not a mapping or has duplicate keys
   */
  public YamlMap asMap(String what) {
    if (!(node instanceof MappingNode m)) {
      throw typeError(what, "a mapping (key: value lines)");
    }
    Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      YamlNode key = new YamlNode(file, t.getKeyNode(), yaml11);
      if (!(t.getKeyNode() instanceof ScalarNode ks)) {
        throw new InputException(
            key.location(),
            "a key in '" + what + "' is not a plain name",
            "use a string as the key");
      }
      String name = ks.getValue();
      YamlMap.Entry previous = entries.get(name);
      if (previous != null) {
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
      entries.put(name, new YamlMap.Entry(name, key, new YamlNode(file, t.getValueNode(), yaml11)));
    }
    return new YamlMap(this, what, entries);
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
      out.add(new YamlNode(file, n, yaml11));
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
        return Integer.parseInt(s.getValue());
      } catch (NumberFormatException e) {
        throw typeError(what, "an integer in range");
      }
    }
    throw typeError(what, "an integer");
  }

  /**
   * Returns this scalar as a boolean ({@code true}/{@code false}, YAML 1.2).
   *
   * @param what the property name, for messages
   * @throws InputException if it is not a boolean
   */
  public boolean asBoolean(String what) {
    if (node instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
      return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
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
   * doubles, booleans and null. Used for {@code vars}.
   *
   * @param what the property name, for messages
   * @throws InputException on duplicate keys
   */
  public Object toPlain(String what) {
    if (node instanceof MappingNode) {
      Map<String, Object> out = new LinkedHashMap<>();
      asMap(what)
          .entries()
          .forEach(e -> out.put(e.name(), e.value().toPlain(what + "." + e.name())));
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
    Tag tag = s.getTag();
    String v = s.getValue();
    if (yaml11 && s.isPlain()) {
      Object typed = Yaml11Scalars.resolve(v);
      if (typed == Yaml11Scalars.Null.NULL) {
        return null;
      }
      if (typed != null) {
        return typed;
      }
      if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag) || Tag.BOOL.equals(tag)) {
        return v; // a YAML 1.2 number or boolean that YAML 1.1 reads as text (1e3, 0o17)
      }
    }
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
