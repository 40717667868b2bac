package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Expands {@code import_steps: FILE} and {@code include_steps: FILE} entries of a step list into
 * the steps of the file, as Ansible's {@code import_tasks} does
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_reuse.html): when the playbook
 * loads, so that the plan lists every step. The entry's {@code when:} and {@code tags:} apply to
 * every step of the file (each step is checked on its own, as with Ansible's imports), its {@code
 * vars:} to those steps alone ({@link StepScope}), its {@code id:} prefixes their ids ({@code
 * ID.STEP}). A file is a YAML list of steps, which may include files in turn; names are relative to
 * the including file's folder. A missing file, a file that includes itself, and more than {@link
 * #MAX_STEPS} steps in all are errors at the include's {@code file:line:column}.
 *
 * <p>Where we differ: {@code include_steps} is expanded when the playbook loads too (Ansible's
 * {@code include_tasks} is dynamic), so its file name may use the playbook's and the role's
 * variables only, and its {@code when:} is checked per step rather than once.
 */
final class StepFiles {
  /** The keys of an include entry. */
  static final Set<String> INCLUDE_KEYS =
      Set.of("import_steps", "include_steps", "name", "id", "vars", "when", "tags");

  /**
   * The deepest step files may include each other (as YAML's nesting): deeper, reading them would
   * exhaust the controller's stack (an attack on issue 24: 3,000 files each including the next
   * ended {@code validate} with a StackOverflowError, exit 1).
   */
  static final int MAX_DEPTH = 100;

  /** The most steps a playbook may have once its roles and step files are expanded. */
  static final int MAX_STEPS = 10_000;

  /**
   * What steps of a file get from the entries that brought them in.
   *
   * @param dir the folder that names in the file are relative to
   * @param prefix the id prefix ({@code ROLE.}, {@code ID.}), or empty
   * @param whens the conditions of the enclosing includes and role, outer first
   * @param tags the tags of the enclosing includes and role
   * @param vars the {@code vars:} of the enclosing includes
   * @param role the role the steps belong to, if any
   * @param chain the files being read, outermost first (a cycle is an error)
   * @param nameVars what file names are rendered with
   */
  record Context(
      Path dir,
      String prefix,
      List<String> whens,
      List<String> tags,
      Map<String, Object> vars,
      Optional<String> role,
      List<Path> chain,
      Map<String, Object> nameVars) {
    /** The context of the playbook's own steps. */
    static Context of(Path playbook, Map<String, Object> nameVars) {
      return new Context(
          folder(playbook),
          "",
          List.of(),
          List.of(),
          Map.of(),
          Optional.empty(),
          List.of(real(playbook)),
          nameVars);
    }
  }

  private final Function<YamlNode, Step> parser;
  private final Map<String, StepScope> scopes;
  private final boolean varsAllowed;
  private final TemplateEngine templates = new TemplateEngine();
  private final BlockSteps blocks = new BlockSteps(this);
  private int count;

  /**
   * Creates an expander.
   *
   * @param parser reads one step (not an include) as the playbook's own steps are read
   * @param scopes receives the {@link StepScope} of each step that has one, by id
   * @param varsAllowed whether includes may have {@code vars:} (not in {@code rollback:}, whose
   *     steps run with the variables of the step that failed)
   */
  StepFiles(Function<YamlNode, Step> parser, Map<String, StepScope> scopes, boolean varsAllowed) {
    this(parser, scopes, varsAllowed, StepDialect.OURS);
  }

  private final StepDialect dialect;

  /**
   * Creates an expander for files written in {@code dialect}.
   *
   * @see #StepFiles(Function, Map, boolean)
   */
  StepFiles(
      Function<YamlNode, Step> parser,
      Map<String, StepScope> scopes,
      boolean varsAllowed,
      StepDialect dialect) {
    this.dialect = dialect;
    this.parser = parser;
    this.scopes = scopes;
    this.varsAllowed = varsAllowed;
  }

  private BiFunction<YamlMap, Context, List<Step>> roleImports = RoleImport::notHere;

  /**
   * Sets what reads an {@code import_role}/{@code include_role} entry: the playbook's {@link
   * RoleLoader}, which finds the role, scopes its variables and registers its handlers.
   */
  void roleImports(BiFunction<YamlMap, Context, List<Step>> reader) {
    this.roleImports = reader;
  }

  /** Returns whether a step list's entry is an include rather than a step. */
  static boolean isInclude(YamlNode n) {
    if (!n.isMapping()) {
      return false;
    }
    YamlMap m = n.asMap("a step");
    return m.has("import_steps") || m.has("include_steps") || RoleImport.isEntry(m);
  }

  /** Counts a step of the playbook's own list (for {@link #MAX_STEPS}). */
  void counted(Step step) {
    count(step.location());
  }

  /**
   * Reads a list of steps and includes under a context.
   *
   * @throws InputException on any problem, at its {@code file:line:column}
   */
  List<Step> expand(List<YamlNode> items, Context ctx) {
    List<Step> out = new ArrayList<>();
    for (YamlNode n : items) {
      if (isInclude(n)) {
        out.addAll(include(n, ctx));
      } else if (BlockSteps.isBlock(n)) {
        if (!varsAllowed) {
          throw n.error(
              "'block' is for 'steps' (and the steps of roles and step files)",
              "write the block's steps one after the other here");
        }
        out.addAll(blocks.expand(n, ctx));
      } else {
        out.add(apply(blocks.inherit(parser.apply(n), n), ctx));
      }
    }
    return out;
  }

  /**
   * Reads a file of steps under a context (a role's {@code tasks/main.yml}).
   *
   * @param at where the file is named, for errors inside it
   */
  List<Step> expandFile(Path file, Context ctx, SourceLocation at) {
    Path real = real(file);
    Context inner =
        new Context(
            folder(file),
            ctx.prefix(),
            ctx.whens(),
            ctx.tags(),
            ctx.vars(),
            ctx.role(),
            append(ctx.chain(), real),
            ctx.nameVars());
    try {
      return expand(items(file), inner);
    } catch (InputException e) {
      throw within(e, at);
    }
  }

  /** Expands one include entry. */
  private List<Step> include(YamlNode n, Context ctx) {
    if (RoleImport.isEntry(n.asMap("an include"))) {
      return roleImports.apply(RoleImport.checked(n, ctx.chain().size()), ctx);
    }
    YamlMap m = n.asMap("an include").allowOnly(INCLUDE_KEYS);
    if (m.has("import_steps") && m.has("include_steps")) {
      throw n.error(
          "an entry has both 'import_steps' and 'include_steps'",
          "write one of them per entry (both read the file when the playbook loads)");
    }
    String kind = m.has("import_steps") ? "import_steps" : "include_steps";
    YamlNode nameNode = m.require(kind);
    String name = nameNode.asString(kind);
    if (name.isBlank()) {
      throw nameNode.error("'" + kind + "' is empty", "name a file of steps, e.g. drain.yml");
    }
    if (ctx.chain().size() > MAX_DEPTH) {
      throw nameNode.error(
          "step files include each other more than " + MAX_DEPTH + " deep",
          "include the files from fewer levels (an include inside an included file counts one"
              + " level more)");
    }
    String rendered = render(nameNode, kind, name, ctx.nameVars());
    Path file = ctx.dir().resolve(rendered).normalize();
    if (!Files.isRegularFile(file)) {
      throw nameNode.error(
          "step file " + file + (Files.exists(file) ? " is not a regular file" : " does not exist"),
          "names are relative to the including file's folder (" + ctx.dir().toAbsolutePath() + ")");
    }
    Path real = real(file);
    if (ctx.chain().contains(real)) {
      List<String> cycle = new ArrayList<>();
      ctx.chain().subList(ctx.chain().indexOf(real), ctx.chain().size()).stream()
          .map(p -> p.getFileName().toString())
          .forEach(cycle::add);
      cycle.add(real.getFileName().toString());
      throw nameNode.error(
          "step file " + file + " includes itself: " + String.join(" -> ", cycle),
          "remove the include that closes the cycle");
    }
    String prefix = ctx.prefix();
    Optional<YamlNode> idNode = m.get("id");
    if (idNode.isPresent()) {
      String id = idNode.get().asString("id");
      if (!Step.ID.matcher(id).matches() || id.contains("@")) {
        throw idNode
            .get()
            .error(
                "invalid include id '" + id + "'",
                "an include's id prefixes its steps' ids (ID.STEP): lower-case letters, digits,"
                    + " '-', '_' or '.'");
      }
      prefix = prefix + id + ".";
    }
    if (!varsAllowed && m.has("vars")) {
      throw m.entry("vars")
          .orElseThrow()
          .key()
          .error(
              "an include in 'rollback' cannot have 'vars'",
              "rollback steps run with the variables of the step that failed; set the values in"
                  + " the playbook's vars");
    }
    Map<String, Object> vars = new LinkedHashMap<>(ctx.vars());
    Map<String, Object> nameVars = new LinkedHashMap<>(ctx.nameVars());
    m.get("vars").ifPresent(v -> vars.putAll(plainMap(v)));
    m.get("vars").ifPresent(v -> nameVars.putAll(plainMap(v)));
    List<String> whens = new ArrayList<>(ctx.whens());
    m.get("when").ifPresent(w -> whens.add(condition(w)));
    List<String> tags = new ArrayList<>(ctx.tags());
    m.get("tags").ifPresent(t -> tags.addAll(tags(t)));
    Context inner =
        new Context(
            folder(file),
            prefix,
            whens,
            tags,
            vars,
            ctx.role(),
            append(ctx.chain(), real),
            nameVars);
    try {
      return expand(items(file), inner);
    } catch (InputException e) {
      throw within(e, n.location());
    }
  }

  /** Returns the step as its context changes it: id prefix, conditions, tags and scope. */
  private Step apply(Step s, Context ctx) {
    count(s.location());
    if (ctx.prefix().isEmpty() && ctx.whens().isEmpty() && ctx.tags().isEmpty()) {
      record(s.id(), ctx);
      return s;
    }
    String id = ctx.prefix() + s.id();
    record(id, ctx);
    return IncludedSteps.rewrite(s, id, ctx.whens(), ctx.tags());
  }

  private void record(String id, Context ctx) {
    if (ctx.role().isPresent() || !ctx.vars().isEmpty()) {
      scopes.put(id, new StepScope(ctx.role(), ctx.vars()));
    }
  }

  private void count(SourceLocation at) {
    if (++count > MAX_STEPS) {
      throw new InputException(
          at,
          "the playbook has more than "
              + MAX_STEPS
              + " steps once its roles and step files are read",
          "an include inside a file that is included many times multiplies; include it once");
    }
  }

  /** Reads an include's or a role's {@code when:} (one expression or a list), checked. */
  String condition(YamlNode w) {
    return Conditions.ofEntry(w, templates);
  }

  /** The tags of a {@code tags:} value: one tag or a list. */
  static List<String> tags(YamlNode t) {
    List<String> out = new ArrayList<>();
    for (YamlNode x : t.isSequence() ? t.asList("tags") : List.of(t)) {
      out.add(x.asString("tags"));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plainMap(YamlNode v) {
    v.asMap("vars");
    return (Map<String, Object>) v.toPlain("vars");
  }

  private String render(YamlNode at, String kind, String name, Map<String, Object> vars) {
    if (!TemplateEngine.isTemplate(name)) {
      return name;
    }
    try {
      String out = templates.render(name, vars).trim();
      if (out.isEmpty()) {
        throw at.error("'" + kind + "' renders empty", "name a file of steps");
      }
      return out;
    } catch (TemplateException e) {
      throw at.error(
          "'" + kind + "': " + e.getMessage(),
          "step file names are read when the playbook loads: they may use the playbook's vars,"
              + " the role's vars and the including entries' vars, not inventory vars or -e");
    }
  }

  /** The entries of a step file: a YAML list (an empty file has none). */
  private List<YamlNode> items(Path file) {
    return dialect.rewrite().get().apply(rawItems(file));
  }

  private List<YamlNode> rawItems(Path file) {
    YamlNode root = YamlDocument.load(file, "step file", dialect.typing());
    if (root.isMapping() && root.asMap("a step file").entries().isEmpty()) {
      return List.of();
    }
    if (!root.isSequence()) {
      throw root.error(
          "a step file is a list of steps", "write each step as '- id: ... shell: ...'");
    }
    return root.asList("a step file");
  }

  private static InputException within(InputException e, SourceLocation at) {
    return IncludeChainException.through(e, at);
  }

  private static List<Path> append(List<Path> chain, Path p) {
    List<Path> out = new ArrayList<>(chain);
    out.add(p);
    return out;
  }

  static Path folder(Path file) {
    Path parent = file.getParent();
    return parent == null ? Path.of("") : parent;
  }

  private static Path real(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }
}
