package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.orchestrator.common.InputException;
import dev.orchestrator.inventory.InventoryLoader;
import dev.orchestrator.playbook.PlaybookLoader;
import dev.orchestrator.yaml.YamlDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README is tested: every fenced {@code yaml} block is loaded with the product's own loaders (a
 * playbook or an inventory, decided by its content), and every command line it shows parses with
 * the real picocli command tree (parse only, nothing runs).
 *
 * <p>A YAML block that is intentionally partial is preceded in the README by the line {@code <!--
 * fragment -->}: it must still be valid YAML, and when its top-level keys are playbook keys it is
 * loaded as a playbook completed with one placeholder step (so a stages-only example is still
 * checked for unknown keys, types and template syntax).
 *
 * <p>Command lines are the lines of {@code sh} blocks and the inline code spans that start with
 * {@code orchestrator } or {@code ./orchestrator } (the CLI table's synopses among them). A
 * synopsis is expanded: {@code [optional]} parts are left out (the minimal form) and all put in
 * (the maximal form, once per alternative of {@code a|b} values and {@code --x/--y} options);
 * {@code ...} is dropped and a placeholder such as {@code N} after a numeric option becomes a
 * number.
 */
class ReadmeTest {
  private static final Path README = Path.of("README.md");
  private static final String FRAGMENT_MARKER = "<!-- fragment -->";
  private static final Set<String> PLAYBOOK_KEYS = PlaybookLoader.TOP_KEYS;
  private static final Set<String> INVENTORY_GROUP_KEYS = Set.of("hosts", "vars", "children");

  private static List<String> lines;

  @TempDir static Path tmp;

  @BeforeAll
  static void readReadme() throws IOException {
    lines = Files.readAllLines(README, StandardCharsets.UTF_8);
  }

  /** A fenced block: its info string, the README line of its first content line, its text. */
  record Block(String lang, int firstLine, String text, boolean fragment) {}

  static List<Block> blocks(List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = Pattern.compile("^```\\s*([A-Za-z0-9_-]*)\\s*$").matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int start = i + 1;
      int end = start;
      while (end < lines.size() && !lines.get(end).startsWith("```")) {
        end++;
      }
      int before = i - 1;
      while (before >= 0 && lines.get(before).isBlank()) {
        before--;
      }
      boolean fragment = before >= 0 && lines.get(before).strip().equals(FRAGMENT_MARKER);
      blocks.add(
          new Block(
              open.group(1),
              start + 1,
              String.join("\n", lines.subList(start, end)) + "\n",
              fragment));
      i = end;
    }
    return blocks;
  }

  @TestFactory
  Stream<DynamicTest> everyYamlBlockLoadsWithTheProductsLoaders() {
    List<Block> yaml = blocks(lines).stream().filter(b -> b.lang().equals("yaml")).toList();
    assertFalse(yaml.isEmpty(), "the README has yaml blocks");
    return yaml.stream()
        .map(
            b ->
                DynamicTest.dynamicTest(
                    "README.md:" + b.firstLine() + (b.fragment() ? " (fragment)" : ""),
                    () -> checkYaml(b)));
  }

  private static void checkYaml(Block b) throws IOException {
    Path file = tmp.resolve("readme-line-" + b.firstLine() + ".yml");
    Files.writeString(file, b.text(), StandardCharsets.UTF_8);
    try {
      YamlDocument.load(file, "README block"); // valid YAML first, with the position if not
      Object root = new Load(LoadSettings.builder().build()).loadFromString(b.text());
      if (isInventory(root)) {
        assertFalse(b.fragment(), "an inventory block needs no fragment marker");
        InventoryLoader.load(file);
      } else if (b.fragment()) {
        if (root instanceof Map<?, ?> m && PLAYBOOK_KEYS.containsAll(m.keySet())) {
          String completed =
              m.containsKey("steps")
                  ? b.text()
                  : b.text() + "steps:\n  - id: placeholder\n    shell: \"true\"\n";
          Path whole = tmp.resolve("readme-line-" + b.firstLine() + "-completed.yml");
          Files.writeString(whole, completed, StandardCharsets.UTF_8);
          new PlaybookLoader().load(whole);
        }
      } else {
        new PlaybookLoader().load(file);
      }
    } catch (InputException e) {
      fail(
          "README.md block at line "
              + b.firstLine()
              + " (file line N is README line "
              + b.firstLine()
              + " + N - 1): "
              + e.getMessage(),
          e);
    }
  }

  /** Ansible's inventory shape: every top-level value is a group with hosts/vars/children. */
  private static boolean isInventory(Object root) {
    return root instanceof Map<?, ?> m
        && !m.isEmpty()
        && m.values().stream()
            .allMatch(
                g ->
                    g instanceof Map<?, ?> group
                        && INVENTORY_GROUP_KEYS.containsAll(group.keySet()));
  }

  /** A command line the README shows, with where it shows it. */
  record Shown(int line, String text) {}

  static List<Shown> commandLines(List<String> lines) {
    List<Shown> shown = new ArrayList<>();
    List<Block> blocks = blocks(lines);
    boolean[] inBlock = new boolean[lines.size() + 2];
    for (Block b : blocks) {
      int n = (int) b.text().lines().count();
      for (int l = b.firstLine() - 1; l <= b.firstLine() + n; l++) {
        inBlock[l] = true; // the fences and the content (1-based lines)
      }
      if (b.lang().equals("sh")) {
        List<String> content = b.text().lines().toList();
        for (int k = 0; k < content.size(); k++) {
          String cmd = content.get(k).replaceFirst("\\s+#.*$", "").strip();
          if (cmd.startsWith("./orchestrator ") || cmd.startsWith("orchestrator ")) {
            shown.add(new Shown(b.firstLine() + k, cmd));
          }
        }
      }
    }
    // Inline code spans, which may wrap: join each paragraph (or table) first.
    StringBuilder para = new StringBuilder();
    List<Integer> paraLines = new ArrayList<>(); // the README line of each char of para
    for (int i = 0; i <= lines.size(); i++) {
      boolean breakHere = i == lines.size() || inBlock[i + 1] || lines.get(i).isBlank();
      if (breakHere) {
        Matcher span = Pattern.compile("`([^`]+)`").matcher(para);
        while (span.find()) {
          String cmd = span.group(1).replace("\\|", "|").strip();
          if (cmd.startsWith("./orchestrator ") || cmd.startsWith("orchestrator ")) {
            shown.add(new Shown(paraLines.get(span.start()), cmd));
          }
        }
        para.setLength(0);
        paraLines.clear();
        continue;
      }
      if (para.length() > 0) {
        para.append(" ");
        paraLines.add(i + 1);
      }
      para.append(lines.get(i));
      for (int c = 0; c < lines.get(i).length(); c++) {
        paraLines.add(i + 1);
      }
    }
    return shown;
  }

  @TestFactory
  Stream<DynamicTest> everyCommandLineParsesWithTheRealCommandTree() {
    List<Shown> shown = commandLines(lines);
    assertTrue(shown.size() > 20, "the README shows command lines: " + shown);
    return shown.stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    "README.md:" + s.line() + ": " + s.text(), () -> checkCommand(s)));
  }

  private static void checkCommand(Shown s) {
    String[] words = s.text().split("\\s+");
    if (words.length == 2 && !words[1].startsWith("-")) {
      // prose naming a command ("`orchestrator plan` says ..."): the command must exist
      assertTrue(
          Main.commandLine().getSubcommands().containsKey(words[1]),
          "README.md:" + s.line() + ": '" + s.text() + "' names no orchestrator command");
      return;
    }
    for (List<String> variant : variants(s.text())) {
      List<String> args = new ArrayList<>(variant.subList(1, variant.size()));
      try {
        CommandLine cl = Main.commandLine();
        numbersForNumericOptions(cl, args);
        CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
        assertTrue(
            parsed.hasSubcommand() || parsed.isUsageHelpRequested(),
            "README.md:" + s.line() + ": '" + s.text() + "' names no subcommand");
      } catch (CommandLine.ParameterException e) {
        fail(
            "README.md:"
                + s.line()
                + ": the command line '"
                + s.text()
                + "' does not parse as "
                + args
                + ": "
                + e.getMessage());
      }
    }
  }

  /** Replaces an upper-case placeholder after an option of a numeric type with a number. */
  private static void numbersForNumericOptions(CommandLine root, List<String> args) {
    CommandSpec spec = root.getCommandSpec();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (spec.subcommands().containsKey(a)) {
        spec = spec.subcommands().get(a).getCommandSpec();
        continue;
      }
      OptionSpec o = spec.findOption(a);
      if (o != null && i + 1 < args.size() && args.get(i + 1).matches("[A-Z_]+")) {
        Class<?> type = o.type();
        if (type == int.class || type == Integer.class || type == long.class) {
          args.set(i + 1, "2");
        }
      }
    }
  }

  // --- synopsis expansion -------------------------------------------------------------------

  /** A synopsis item: a word (with alternatives) or an optional group. */
  private sealed interface Item permits Word, Group {}

  private record Word(List<String> alternatives) implements Item {}

  private record Group(List<Item> items) implements Item {}

  /** Every concrete command line a synopsis stands for that the test tries. */
  static List<List<String>> variants(String synopsis) {
    List<String> tokens = new ArrayList<>();
    Matcher t = Pattern.compile("\\[|\\]|[^\\s\\[\\]]+").matcher(synopsis);
    while (t.find()) {
      tokens.add(t.group());
    }
    int[] at = {0};
    List<Item> items = sequence(tokens, at);
    if (at[0] != tokens.size()) {
      fail("unbalanced brackets in '" + synopsis + "'");
    }
    int alternatives = maxAlternatives(items);
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> minimal = new ArrayList<>();
    expand(items, false, 0, minimal);
    out.put(String.join(" ", minimal), minimal);
    for (int k = 0; k < alternatives; k++) {
      List<String> maximal = new ArrayList<>();
      expand(items, true, k, maximal);
      out.put(String.join(" ", maximal), maximal);
    }
    return new ArrayList<>(out.values());
  }

  private static List<Item> sequence(List<String> tokens, int[] at) {
    List<Item> items = new ArrayList<>();
    while (at[0] < tokens.size()) {
      String tok = tokens.get(at[0]);
      if (tok.equals("]")) {
        return items;
      }
      at[0]++;
      if (tok.equals("[")) {
        List<Item> inner = sequence(tokens, at);
        if (at[0] >= tokens.size() || !tokens.get(at[0]).equals("]")) {
          fail("unbalanced '[' in the synopsis " + tokens);
        }
        at[0]++;
        items.add(new Group(inner));
        continue;
      }
      String word = tok.replaceFirst("\\.\\.\\.$", "");
      if (word.isEmpty()) {
        continue; // a "..." after a group
      }
      String[] alts = word.startsWith("-") ? word.split("/") : word.split("\\|");
      items.add(new Word(List.of(alts)));
    }
    return items;
  }

  private static int maxAlternatives(List<Item> items) {
    int max = 1;
    for (Item i : items) {
      max =
          Math.max(
              max,
              i instanceof Word w ? w.alternatives().size() : maxAlternatives(((Group) i).items()));
    }
    return max;
  }

  private static void expand(List<Item> items, boolean optional, int k, List<String> into) {
    for (Item i : items) {
      if (i instanceof Word w) {
        into.add(w.alternatives().get(Math.min(k, w.alternatives().size() - 1)));
      } else if (optional) {
        expand(((Group) i).items(), true, k, into);
      }
    }
  }

  @Test
  void aSynopsisExpandsToItsMinimalAndMaximalForms() {
    assertEquals(
        List.of(
            List.of("orchestrator", "abort", "RUN_ID"),
            List.of("orchestrator", "abort", "RUN_ID", "--rollback", "--output", "text"),
            List.of("orchestrator", "abort", "RUN_ID", "--rollback", "--output", "json")),
        variants("orchestrator abort RUN_ID [--rollback] [--output text|json]"));
    assertEquals(
        List.of(
            List.of("orchestrator", "resume", "R"),
            List.of("orchestrator", "resume", "R", "--skip-step", "S", "-e", "K=V"),
            List.of("orchestrator", "resume", "R", "--rerun", "S", "-e", "K=V")),
        variants("orchestrator resume R [--skip-step/--rerun S [-e K=V]...]"));
  }

  @Test
  void aCommandLineTheCliDoesNotKnowIsCaught() {
    // given a README line with an option no command has, when parsed, then it fails
    Shown bad = new Shown(1, "orchestrator run PLAYBOOK -i INVENTORY [--no-such-option]");
    AssertionErrorCheck.assertFails(() -> checkCommand(bad));
    AssertionErrorCheck.assertFails(() -> checkCommand(new Shown(1, "orchestrator frobnicate")));
    AssertionErrorCheck.assertFails(() -> checkCommand(new Shown(1, "orchestrator plan -i")));
    checkCommand(new Shown(1, "orchestrator run PLAYBOOK -i INVENTORY [--forks N]"));
  }

  @Test
  void aPlaybookBlockWithAMisplacedStepIsCaught() throws IOException {
    // given the defect the README had: a step list under 'hops:'
    Block bad =
        new Block(
            "yaml",
            1,
            "steps:\n  - id: a\n    shell: \"true\"\nhops:\n  var: v\n  values: [1]\n"
                + "  - id: restore\n    shell: x\n",
            false);
    AssertionErrorCheck.assertFails(() -> checkYaml(bad));
  }

  /** Asserts that a check fails (with an AssertionError), without JUnit's nested assertThrows. */
  private static final class AssertionErrorCheck {
    interface Check {
      void run() throws Exception;
    }

    static void assertFails(Check c) {
      try {
        c.run();
      } catch (AssertionError expected) {
        return;
      } catch (Exception e) {
        throw new AssertionError("expected an assertion failure, got " + e, e);
      }
      throw new AssertionError("expected the check to fail");
    }
  }
}
