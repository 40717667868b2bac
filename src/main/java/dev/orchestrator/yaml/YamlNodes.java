package dev.orchestrator.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Nodes of a document rewritten from another (an Ansible play read as our playbook format): each
 * new node stands where a node of the original stands, so that an error about it names the
 * original's {@code file:line:column}.
 */
public final class YamlNodes {
  private YamlNodes() {}

  /**
   * A string scalar standing where {@code at} stands (its file and position), for a document
   * rewritten from another (an Ansible play read as our format): errors about it name {@code at}'s
   * {@code file:line:column}.
   *
   * @param at the node whose position it takes
   * @param value the text
   * @return the new node
   */
  public static YamlNode scalar(YamlNode at, String value) {
    return new YamlNode(
        at.file(),
        new ScalarNode(
            Tag.STR,
            true,
            value,
            org.snakeyaml.engine.v2.common.ScalarStyle.PLAIN,
            at.raw().getStartMark(),
            at.raw().getEndMark()),
        at.typing());
  }

  /**
   * A plain (unquoted) scalar standing where {@code at} stands: typed as {@code at}'s document
   * types its plain scalars ({@code 25} an integer, {@code true} a boolean).
   *
   * @param at the node whose position it takes
   * @param value the text
   * @return the new node
   */
  public static YamlNode plain(YamlNode at, String value) {
    Tag tag = at.typing().schema("").getScalarResolver().resolve(value, true);
    return new YamlNode(
        at.file(),
        new ScalarNode(
            tag,
            true,
            value,
            org.snakeyaml.engine.v2.common.ScalarStyle.PLAIN,
            at.raw().getStartMark(),
            at.raw().getEndMark()),
        at.typing());
  }

  /**
   * A mapping standing where {@code at} stands, of the given keys and values, in order: a key is a
   * node (its position is the key's, e.g. {@link #scalar}) and must be a string scalar.
   *
   * @param at the node whose position it takes
   * @param entries the keys and values, in order
   * @return the new node
   */
  public static YamlNode mapping(YamlNode at, List<Map.Entry<YamlNode, YamlNode>> entries) {
    List<NodeTuple> tuples = new ArrayList<>();
    for (Map.Entry<YamlNode, YamlNode> e : entries) {
      tuples.add(new NodeTuple(e.getKey().raw(), e.getValue().raw()));
    }
    return new YamlNode(
        at.file(),
        new MappingNode(
            Tag.MAP, true, tuples, FlowStyle.BLOCK, at.raw().getStartMark(), at.raw().getEndMark()),
        at.typing());
  }

  /**
   * A sequence standing where {@code at} stands, of the given items.
   *
   * @param at the node whose position it takes
   * @param items the items, in order
   * @return the new node
   */
  public static YamlNode sequence(YamlNode at, List<YamlNode> items) {
    return new YamlNode(
        at.file(),
        new SequenceNode(
            Tag.SEQ,
            true,
            items.stream().map(YamlNode::raw).toList(),
            FlowStyle.BLOCK,
            at.raw().getStartMark(),
            at.raw().getEndMark()),
        at.typing());
  }

  /**
   * Returns whether {@code n} is what YAML makes of an unquoted template: {@code shell: {{ x }}} is
   * a flow mapping whose one key is a mapping, never meant as one (the value must be quoted).
   *
   * @param n the node
   */
  public static boolean isUnquotedTemplate(YamlNode n) {
    return n.raw() instanceof MappingNode m
        && m.getValue().size() == 1
        && !(m.getValue().get(0).getKeyNode() instanceof ScalarNode);
  }
}
