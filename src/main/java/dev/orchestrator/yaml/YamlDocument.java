package dev.orchestrator.yaml;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads one YAML file into a tree of {@link YamlNode}s that remember their {@code line:column}, so
 * every validation error can point at the offending key. Syntax errors become {@link
 * InputException}s with the position snakeyaml-engine reports.
 */
public final class YamlDocument {
  private YamlDocument() {}

  /**
   * Parses a file.
   *
   * @param file the YAML file
   * @param what what the file is, for messages (e.g. "playbook")
   * @return the root node; an empty document gives an empty mapping node
   * @throws InputException if the file is missing, unreadable or not valid YAML
   */
  public static YamlNode load(Path file, String what) {
    LoadSettings settings =
        LoadSettings.builder().setLabel(file.toString()).setAllowRecursiveKeys(false).build();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Optional<Node> root = new Compose(settings).composeReader(reader);
      return root.map(n -> new YamlNode(file, n)).orElseGet(() -> YamlNode.emptyMapping(file));
    } catch (NoSuchFileException e) {
      throw new InputException(
          "the " + what + " file " + file + " does not exist",
          "check the path (it is resolved against the current directory "
              + Path.of("").toAbsolutePath()
              + ")");
    } catch (MarkedYamlEngineException e) {
      SourceLocation at =
          e.getProblemMark()
              .or(e::getContextMark)
              .map(m -> at(file, m))
              .orElse(new SourceLocation(file, 1, 1));
      String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      throw new InputException(
          at,
          "YAML syntax error: " + problem + context,
          "fix the YAML at that position; common causes are wrong indentation, a missing ':' or an unquoted '{{' at the start of a value (quote it)");
    } catch (YamlEngineException e) {
      throw new InputException(
          file + ": YAML error: " + e.getMessage(), "fix the " + what + " file and try again");
    } catch (IOException e) {
      throw new InputException(
          "cannot read the " + what + " file " + file + ": " + e.getMessage(),
          "check that the file exists and is readable");
    }
  }

  static SourceLocation at(Path file, Mark mark) {
    return new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
  }
}
