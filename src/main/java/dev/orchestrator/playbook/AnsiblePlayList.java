package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlNodes;
import dev.orchestrator.yaml.YamlTyping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an Ansible playbook as the list of plays it is, {@code import_playbook} entries replaced by
 * the plays of the file they name
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_intro.html,
 * https://docs.ansible.com/ansible/latest/collections/ansible/builtin/import_playbook_module.html;
 * ansible-core {@code playbook/playbook_include.py}): the path is relative to the importing file,
 * imports nest, and an import's {@code vars:} are laid over each imported play's {@code vars} (they
 * win, as {@code entry.vars | new_obj.vars} there) and its {@code tags:} added to the play's. A
 * cycle is refused with its chain (Ansible recurses until Python's limit), and so is a {@code
 * when:} on an import (Ansible adds it to every imported task: write it on the tasks).
 *
 * <p>One play is read as {@link AnsiblePlays} reads it. Several plays become a playbook whose
 * {@link Playbook#plays()} are the plays, each read on its own (its vars, handlers, roles, {@code
 * serial}), in the order Ansible runs them; each play's step and handler ids get the play's prefix
 * ({@code SLUG.}, the play's name in lower case, else {@code play-N}, unique) so that their
 * checkpoints never meet. A play's {@code gather_facts} also holds for the plays after it, whose
 * templates may read the facts gathered then (Ansible keeps a host's facts for the whole playbook).
 */
final class AnsiblePlayList {
  private static final Set<String> IMPORT_KEYS =
      Set.of("import_playbook", "ansible.builtin.import_playbook");
  private static final Set<String> IMPORT_ENTRY_KEYS = Set.of("name", "vars", "tags", "when");

  private final PlaybookLoader loader;

  AnsiblePlayList(PlaybookLoader loader) {
    this.loader = loader;
  }

  /** A play as read, with the file it is in (its relative paths are relative to it). */
  private record PlayNode(Path file, YamlNode play) {}

  /**
   * Reads the plays of {@code file} and the files it imports.
   *
   * @throws InputException on anything we do not run, at its {@code file:line:column}
   */
  Playbook read(Path file) {
    List<PlayNode> plays = new ArrayList<>();
    boolean imported = collect(file, new ArrayList<>(), List.of(), List.of(), plays);
    AnsiblePlays reader = new AnsiblePlays(loader);
    if (plays.size() == 1 && !imported) {
      return reader.play(file, plays.get(0).play());
    }
    List<Playbook> read = new ArrayList<>();
    Set<String> prefixes = new HashSet<>();
    Set<String> stageNames = new HashSet<>();
    boolean gathered = false;
    for (int i = 0; i < plays.size(); i++) {
      PlayNode p = plays.get(i);
      loader.readingFrom(p.file());
      Playbook play = reader.play(p.file(), p.play());
      gathered |= play.gatherFacts();
      String prefix = prefix(p.play(), i + 1, prefixes);
      read.add(prefixed(play, prefix, uniqueStage(play.stages().get(0), stageNames), gathered));
    }
    loader.readingFrom(file);
    return combined(file, read, gathered);
  }

  /**
   * Adds the plays of {@code file} to {@code out}, imports expanded.
   *
   * @param chain the files being read, outermost first (a cycle is refused)
   * @param vars an enclosing import's {@code vars} entries, laid over each play's
   * @param tags an enclosing import's {@code tags}, added to each play's
   * @return whether the file imports another
   */
  private boolean collect(
      Path file,
      List<Path> chain,
      List<Map.Entry<YamlNode, YamlNode>> vars,
      List<YamlNode> tags,
      List<PlayNode> out) {
    YamlNode root = YamlDocument.load(file, "playbook", YamlTyping.PYYAML_1_1);
    List<YamlNode> plays = root.asList("the playbook");
    if (plays.isEmpty()) {
      throw root.error("the playbook is an empty list of plays", "add a play: '- hosts: all'");
    }
    chain.add(file.toAbsolutePath().normalize());
    boolean imports = false;
    for (YamlNode p : plays) {
      if (!p.isMapping()) {
        throw p.error(
            "a play is a mapping ('- hosts: ...' with its tasks), found " + p.asString("a play"),
            "write each play as '- hosts: PATTERN' followed by its keys");
      }
      YamlMap m = p.asMap("a play");
      Optional<YamlMap.Entry> include =
          m.entries().stream().filter(e -> IMPORT_KEYS.contains(e.name())).findFirst();
      if (include.isPresent()) {
        imports = true;
        importPlays(file, m, include.get(), chain, vars, tags, out);
        continue;
      }
      if (!m.has("hosts")) {
        throw p.error(
            "a play without 'hosts'",
            "name the hosts it runs on, e.g. 'hosts: webservers' (a pattern, as Ansible's)");
      }
      out.add(new PlayNode(file, withImport(p, m, vars, tags)));
    }
    chain.remove(chain.size() - 1);
    return imports;
  }

  private void importPlays(
      Path file,
      YamlMap m,
      YamlMap.Entry include,
      List<Path> chain,
      List<Map.Entry<YamlNode, YamlNode>> vars,
      List<YamlNode> tags,
      List<PlayNode> out) {
    for (YamlMap.Entry e : m.entries()) {
      if (e.name().equals(include.name())) {
        continue;
      }
      if (e.name().equals("when")) {
        throw e.key()
            .error(
                "a conditional import_playbook is not supported",
                "put the condition on the imported plays' tasks (Ansible adds it to each of"
                    + " them), or run the imported playbook on its own");
      }
      if (!IMPORT_ENTRY_KEYS.contains(e.name())) {
        throw e.key()
            .error(
                "'" + e.name() + "' is not a keyword of import_playbook",
                "an import_playbook entry takes " + String.join(", ", IMPORT_ENTRY_KEYS));
      }
    }
    YamlNode target = include.value();
    String name = target.isScalar() ? target.asString("import_playbook").trim() : "";
    if (name.isEmpty() || name.contains("{{") || name.contains(" ")) {
      throw target.error(
          "import_playbook needs the file name of a playbook, found '"
              + (target.isScalar()
                  ? target.asString("import_playbook")
                  : "a " + (target.isMapping() ? "mapping" : "list"))
              + "'",
          "write the file's path relative to this file, without templates or k=v parameters"
              + " (put variables under 'vars:')");
    }
    Path imported = file.toAbsolutePath().getParent().resolve(name).normalize();
    if (chain.contains(imported)) {
      List<String> names = new ArrayList<>();
      chain.forEach(c -> names.add(c.getFileName().toString()));
      names.add(imported.getFileName().toString());
      throw target.error(
          "import_playbook cycle: " + String.join(" -> ", names),
          "remove one of the imports: a playbook cannot import itself");
    }
    if (!Files.isRegularFile(imported)) {
      throw target.error(
          "the imported playbook " + imported + " does not exist",
          "the path is relative to the importing file's folder (" + file.getParent() + ")");
    }
    List<Map.Entry<YamlNode, YamlNode>> allVars = new ArrayList<>(vars);
    m.get("vars")
        .ifPresent(
            v ->
                v.asMap("vars")
                    .entries()
                    .forEach(x -> allVars.add(new AbstractMap.SimpleEntry<>(x.key(), x.value()))));
    List<YamlNode> allTags = new ArrayList<>(tags);
    m.get("tags").ifPresent(t -> allTags.addAll(tagList(t)));
    collect(imported, chain, allVars, allTags, out);
  }

  /** The play with an import's vars laid over its own and the import's tags added to its own. */
  private static YamlNode withImport(
      YamlNode p, YamlMap m, List<Map.Entry<YamlNode, YamlNode>> vars, List<YamlNode> tags) {
    if (vars.isEmpty() && tags.isEmpty()) {
      return p;
    }
    List<Map.Entry<YamlNode, YamlNode>> out = new ArrayList<>();
    for (YamlMap.Entry e : m.entries()) {
      if (!e.name().equals("vars") && !e.name().equals("tags")) {
        out.add(new AbstractMap.SimpleEntry<>(e.key(), e.value()));
      }
    }
    Map<String, Map.Entry<YamlNode, YamlNode>> merged = new LinkedHashMap<>();
    m.get("vars")
        .ifPresent(
            v ->
                v.asMap("vars")
                    .entries()
                    .forEach(
                        x ->
                            merged.put(
                                x.name(), new AbstractMap.SimpleEntry<>(x.key(), x.value()))));
    vars.forEach(e -> merged.put(e.getKey().asString("a variable name"), e));
    if (!merged.isEmpty()) {
      out.add(
          new AbstractMap.SimpleEntry<>(
              YamlNodes.scalar(p, "vars"), YamlNodes.mapping(p, new ArrayList<>(merged.values()))));
    }
    List<YamlNode> allTags = new ArrayList<>();
    m.get("tags").ifPresent(t -> allTags.addAll(tagList(t)));
    allTags.addAll(tags);
    if (!allTags.isEmpty()) {
      out.add(
          new AbstractMap.SimpleEntry<>(
              YamlNodes.scalar(p, "tags"), YamlNodes.sequence(p, allTags)));
    }
    return YamlNodes.mapping(p, out);
  }

  private static List<YamlNode> tagList(YamlNode t) {
    return t.isSequence() ? t.asList("tags") : List.of(t);
  }

  /**
   * The play's id prefix: its name as a slug ({@code [a-z0-9-]}, at most 30 characters), else
   * {@code play-N}; {@code -2}, {@code -3}... when taken.
   */
  static String prefix(YamlNode play, int number, Set<String> taken) {
    String name = play.asMap("a play").string("name").orElse("");
    String slug = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    slug = slug.length() > 30 ? slug.substring(0, 30) : slug;
    slug = slug.replaceAll("^-+|-+$", "");
    if (slug.isEmpty()) {
      slug = "play-" + number;
    }
    String out = slug;
    for (int n = 2; !taken.add(out); n++) {
      out = slug + "-" + n;
    }
    return out;
  }

  /** The stage, renamed {@code NAME (N)} when an earlier play's stage has its name. */
  private static Stage uniqueStage(Stage stage, Set<String> taken) {
    String name = stage.name();
    for (int n = 2; !taken.add(name); n++) {
      name = stage.name() + " (" + n + ")";
    }
    return new Stage(
        name,
        stage.hosts(),
        stage.serial(),
        stage.maxFailPercentage(),
        stage.anyErrorsFatal(),
        stage.gates(),
        stage.batchGates());
  }

  /**
   * The play with its ids prefixed, its stage as given, facts gathered when an earlier play did.
   */
  private static Playbook prefixed(Playbook play, String prefix, Stage stage, boolean gathered) {
    return new Playbook(
        play.file(),
        play.name(),
        play.vars(),
        List.of(stage),
        play.steps().stream().map(s -> withPrefix(s, prefix)).toList(),
        play.rollback(),
        play.artifacts(),
        play.hops(),
        play.rollbackOnFailure(),
        play.secretVars(),
        play.reuse(),
        play.handlers().stream().map(s -> withPrefix(s, prefix)).toList(),
        gathered,
        play.playVars());
  }

  private static Step withPrefix(Step s, String prefix) {
    return IncludedSteps.rewrite(s, prefix + "." + s.id(), List.of(), List.of());
  }

  /** The playbook of several plays: their stages, and all their steps and handlers. */
  private static Playbook combined(Path file, List<Playbook> plays, boolean gathered) {
    List<Step> steps = new ArrayList<>();
    List<Step> handlers = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    List<Artifact> artifacts = new ArrayList<>();
    for (Playbook p : plays) {
      steps.addAll(p.steps());
      handlers.addAll(p.handlers());
      stages.addAll(p.stages());
      artifacts.addAll(p.artifacts());
    }
    return new Playbook(
        file,
        file.getFileName().toString().replaceFirst("\\.ya?ml$", ""),
        Map.of(),
        stages,
        steps,
        List.of(),
        artifacts,
        Optional.empty(),
        false,
        List.of(),
        Reuse.NONE,
        handlers,
        gathered,
        Map.of(),
        plays);
  }
}
