package dev.orchestrator.yaml;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.InputFiles;
import dev.orchestrator.common.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.CollectionNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Loads one YAML file into a tree of {@link YamlNode}s that remember their {@code line:column}, so
 * every validation error can point at the offending key. Syntax errors become {@link
 * InputException}s with the position snakeyaml-engine reports.
 *
 * <p>Hostile documents are refused before they can hurt: the file is read by {@link
 * InputFiles#readText} (size limit, strict UTF-8 with the position of a bad byte); nesting deeper
 * than {@link #MAX_DEPTH} is refused while parsing (snakeyaml-engine composes recursively: 20,000
 * levels overflowed the stack); at most {@link #MAX_ALIASES} aliases to collections (the
 * snakeyaml-engine setting), no alias that refers to the collection it is in, and a document that
 * aliases would expand by more than {@link #MAX_EXPANSION} nodes ("billion laughs") is refused.
 */
public final class YamlDocument {
  /** The deepest nesting of mappings and lists, counted through aliases too. */
  public static final int MAX_DEPTH = 100;

  /** The most aliases to mappings and lists in one document (snakeyaml-engine's default). */
  public static final int MAX_ALIASES = 50;

  /** How many nodes aliases may add to a document when expanded. */
  public static final long MAX_EXPANSION = 200_000;

  private YamlDocument() {}

  /**
   * Parses a file.
   *
   * @param file the YAML file
   * @param what what the file is, for messages (e.g. "playbook")
   * @return the root node; an empty document gives an empty mapping node
   * @throws InputException if the file is missing, unreadable, not UTF-8, too large, too deep, an
   *     alias bomb or not valid YAML
   */
  public static YamlNode load(Path file, String what) {
    return load(file, what, YamlTyping.YAML_1_2_JSON);
  }

  /**
   * Parses a file, typing its plain scalars as {@code typing} says.
   *
   * @param file the YAML file
   * @param what what the file is, for messages (e.g. "inventory")
   * @param typing how plain scalars get their types ({@link YamlTyping#PYYAML_1_1} for what Ansible
   *     reads: inventories and vars files)
   * @return the root node; an empty document gives an empty mapping node
   * @throws InputException as {@link #load(Path, String)}
   */
  public static YamlNode load(Path file, String what, YamlTyping typing) {
    return parse(file, what, InputFiles.readText(file, what), typing);
  }

  /**
   * Parses YAML text.
   *
   * @param file the file it came from, for positions
   * @param what what the file is, for messages (e.g. "playbook")
   * @param text the YAML text
   * @return the root node; an empty document gives an empty mapping node
   * @throws InputException as {@link #load}
   */
  public static YamlNode parse(Path file, String what, String text) {
    return parse(file, what, text, YamlTyping.YAML_1_2_JSON);
  }

  /**
   * Parses YAML text, typing its plain scalars as {@code typing} says.
   *
   * @param file the file it came from, for positions
   * @param what what the file is, for messages (e.g. "inventory")
   * @param text the YAML text
   * @param typing how plain scalars get their types
   * @return the root node; an empty document gives an empty mapping node
   * @throws InputException as {@link #load(Path, String)}
   */
  public static YamlNode parse(Path file, String what, String text, YamlTyping typing) {
    checkPrintable(file, what, text);
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(file.toString())
            .setSchema(typing.schema(text))
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setCodePointLimit(InputFiles.MAX_BYTES)
            .build();
    try {
      Parser parser = new DepthLimit(new ParserImpl(settings, new StreamReader(settings, text)));
      Optional<Node> root = new Composer(settings, parser).getSingleNode();
      root.ifPresent(n -> checkExpansion(file, what, n));
      return root.map(n -> new YamlNode(file, n, typing))
          .orElseGet(() -> YamlNode.emptyMapping(file, typing));
    } catch (TooDeep e) {
      throw new InputException(
          e.mark.map(m -> at(file, m)).orElse(new SourceLocation(file, 1, 1)),
          "the " + what + " nests mappings and lists more than " + MAX_DEPTH + " levels deep",
          "a " + what + " needs a few levels; is this the right file?");
    } catch (TooManyAliases e) {
      throw new InputException(
          e.mark.map(m -> at(file, m)).orElse(new SourceLocation(file, 1, 1)),
          "the "
              + what
              + " has more than "
              + MAX_ALIASES
              + " aliases (*name) to mappings and lists (an alias bomb?)",
          "use fewer anchors and aliases (*name) to mappings and lists: at most " + MAX_ALIASES);
    } catch (MarkedYamlEngineException e) {
      SourceLocation at =
          e.getProblemMark()
              .or(e::getContextMark)
              .map(m -> at(file, m))
              .orElse(new SourceLocation(file, 1, 1));
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      int keyLength = plainKeyLength(text, at);
      if (problem.startsWith("mapping values are not allowed") && keyLength > MAX_PLAIN_KEY) {
        throw new InputException(
            new SourceLocation(file, at.line(), at.column() - keyLength),
            "a key of "
                + keyLength
                + " characters: a key written without '? ' may not be longer than "
                + MAX_PLAIN_KEY
                + " characters in YAML (\"mapping values are not allowed here\")",
            "is the key (a host name?) meant to be that long? if so, write it as an explicit key:"
                + " '? KEY' on one line, then ': VALUE' on the next");
      }
      throw new InputException(
          at,
          "YAML syntax error: " + problem + context,
          "fix the YAML at that position; common causes are wrong indentation, a missing ':' or an unquoted '{{' at the start of a value (quote it)");
    } catch (YamlEngineException e) {
      throw new InputException(
          file + ": YAML error: " + e.getMessage(),
          e.getMessage() != null && e.getMessage().contains("aliases")
              ? "use fewer anchors and aliases (*name) to mappings and lists: at most "
                  + MAX_ALIASES
              : "fix the " + dev.orchestrator.common.InputFiles.fileOf(what) + " and try again");
    }
  }

  /** YAML's limit on an implicit key ("simple key"): 1024 characters. */
  private static final int MAX_PLAIN_KEY = 1024;

  /**
   * The length of the key that ends just before {@code at} (a ':' on that line): the characters
   * from the line's indentation or the last flow indicator up to the ':', or 0.
   */
  private static int plainKeyLength(String text, SourceLocation at) {
    int start = 0;
    for (int line = 1; line < at.line(); line++) {
      start = text.indexOf('\n', start) + 1;
      if (start == 0) {
        return 0;
      }
    }
    int end = text.indexOf('\n', start);
    String line = text.substring(start, end < 0 ? text.length() : end);
    int colon = Math.min(line.length(), Math.max(0, at.column() - 1));
    int keyStart = colon;
    while (keyStart > 0 && " \t{[,-".indexOf(line.charAt(keyStart - 1)) < 0) {
      keyStart--;
    }
    return colon - keyStart;
  }

  /**
   * Refuses the characters YAML does not allow (control characters other than tab and line breaks,
   * e.g. the NUL bytes of a binary file) at their {@code line:column}; snakeyaml-engine reports
   * them without a position.
   */
  private static void checkPrintable(Path file, String what, String text) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (c == '\n') {
        line++;
        lineStart = i + 1;
      } else if (!StreamReader.isPrintable(c) && c != '\r') {
        throw new InputException(
            new SourceLocation(file, line, text.codePointCount(lineStart, i) + 1),
            String.format(
                "the %s contains the control character U+%04X, which YAML does not allow", what, c),
            c == 0
                ? "is this a binary file? name the "
                    + dev.orchestrator.common.InputFiles.fileOf(what)
                    + " (YAML text)"
                : "remove the character (write it as an escape, e.g. \"\\t\", in a double-quoted string)");
      }
      i += Character.charCount(c);
    }
  }

  /** Thrown by {@link DepthLimit} at the event that nests too deep. */
  private static final class TooDeep extends RuntimeException {
    final Optional<Mark> mark;

    TooDeep(Optional<Mark> mark) {
      super(null, null, false, false);
      this.mark = mark;
    }
  }

  /** Thrown by {@link DepthLimit} at the alias to a collection that is one too many. */
  private static final class TooManyAliases extends RuntimeException {
    final Optional<Mark> mark;

    TooManyAliases(Optional<Mark> mark) {
      super(null, null, false, false);
      this.mark = mark;
    }
  }

  /**
   * Counts open mappings and lists as the composer takes events, and stops at too many; counts
   * aliases to mappings and lists, and stops at the one beyond {@link #MAX_ALIASES}, at its
   * position (snakeyaml-engine's own count says no position).
   */
  private static final class DepthLimit implements Parser {
    private final Parser parser;
    private int depth;
    private final java.util.Set<String> collectionAnchors = new java.util.HashSet<>();
    private int collectionAliases;

    DepthLimit(Parser parser) {
      this.parser = parser;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
      return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
      return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
      return parser.hasNext();
    }

    @Override
    public Event next() {
      Event e = parser.next();
      switch (e.getEventId()) {
        case MappingStart, SequenceStart -> {
          if (++depth > MAX_DEPTH) {
            throw new TooDeep(e.getStartMark());
          }
          ((org.snakeyaml.engine.v2.events.NodeEvent) e)
              .getAnchor()
              .ifPresent(a -> collectionAnchors.add(a.getValue()));
        }
        case Alias -> {
          String anchor = ((org.snakeyaml.engine.v2.events.AliasEvent) e).getAlias().getValue();
          if (collectionAnchors.contains(anchor) && ++collectionAliases > MAX_ALIASES) {
            throw new TooManyAliases(e.getStartMark());
          }
        }
        case MappingEnd, SequenceEnd -> depth--;
        default -> {
          // scalars, aliases, documents
        }
      }
      return e;
    }
  }

  /**
   * Walks the composed graph once (iteratively: aliases can make it deeper than the text) and
   * refuses an alias inside the collection it refers to, nesting deeper than {@link #MAX_DEPTH}
   * through aliases, and more than {@link #MAX_EXPANSION} nodes added by expanding aliases.
   */
  private static void checkExpansion(Path file, String what, Node root) {
    java.util.Map<Node, long[]> done = new java.util.IdentityHashMap<>(); // size, depth
    java.util.Set<Node> open =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.Deque<Node> stack = new java.util.ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Node n = stack.peek();
      if (done.containsKey(n)) {
        stack.pop();
        continue;
      }
      List<Node> children = children(n);
      if (open.add(n)) {
        YamlTags.check(file, what, n);
        for (Node c : children) {
          if (open.contains(c) && !done.containsKey(c)) {
            throw new InputException(
                location(file, c),
                "an alias refers to the collection it is in (a recursive structure)",
                "remove the alias (*name) from inside its own anchor (&name)");
          }
          if (!done.containsKey(c)) {
            stack.push(c);
          }
        }
        continue;
      }
      stack.pop();
      open.remove(n);
      long size = 1;
      long depth = 0;
      for (Node c : children) {
        long[] d = done.get(c);
        size = Math.min(Long.MAX_VALUE / 2, size + d[0]);
        depth = Math.max(depth, d[1]);
      }
      if (!children.isEmpty() || n instanceof CollectionNode) {
        depth++;
      }
      if (depth > MAX_DEPTH) {
        throw new InputException(
            location(file, n),
            "through aliases, the " + what + " nests more than " + MAX_DEPTH + " levels deep",
            "use fewer nested aliases (*name)");
      }
      done.put(n, new long[] {size, depth});
    }
    long expanded = done.get(root)[0];
    if (expanded - done.size() > MAX_EXPANSION) {
      throw new InputException(
          location(file, root),
          "the "
              + what
              + "'s aliases (*name) expand it to more than "
              + MAX_EXPANSION
              + " extra values (an alias bomb, \"billion laughs\")",
          "write the values out, or reuse fewer large anchors (&name)");
    }
  }

  private static List<Node> children(Node n) {
    if (n instanceof SequenceNode s) {
      return s.getValue();
    }
    if (n instanceof MappingNode m) {
      List<Node> out = new java.util.ArrayList<>(m.getValue().size() * 2);
      for (NodeTuple t : m.getValue()) {
        out.add(t.getKeyNode());
        out.add(t.getValueNode());
      }
      return out;
    }
    return List.of();
  }

  private static SourceLocation location(Path file, Node n) {
    return n.getStartMark().map(m -> at(file, m)).orElse(new SourceLocation(file, 1, 1));
  }

  static SourceLocation at(Path file, Mark mark) {
    return new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
  }
}
