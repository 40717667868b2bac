package dev.orchestrator.playbook;

import dev.orchestrator.common.Echo;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Expands a {@code block:} entry of a step list (with its {@code rescue:} and {@code always:}) into
 * its steps when the playbook loads, as {@link StepFiles} expands step files, so that the plan
 * lists every one of them (<a
 * href="https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_blocks.html">Ansible:
 * blocks</a>; ansible-core {@code playbook/block.py}). Each step keeps the {@link BlockFrame}s
 * around it; the block's {@code id:} prefixes its steps' ids ({@code ID.STEP}, as an include's
 * does), its {@code when:} is joined to each step's, its {@code tags:} and {@code vars:} apply to
 * each step, and its {@code become}, {@code become_user} and {@code ignore_errors} apply to each
 * step that does not set its own (a block's keywords are inherited by its tasks in Ansible, the
 * task's own value winning). A block's {@code name:} names it in messages; it does not prefix ids
 * (ids are checkpoint keys, names are prose).
 */
final class BlockSteps {
  /** The keys of a block entry. */
  static final Set<String> KEYS =
      Set.of(
          "block",
          "rescue",
          "always",
          "name",
          "id",
          "when",
          "tags",
          "vars",
          "become",
          "become_user",
          "ignore_errors");

  /** A block being read: its frame and the keywords its steps inherit. */
  private record Open(
      BlockFrame frame,
      Optional<Boolean> become,
      Optional<String> becomeUser,
      Optional<Boolean> ignoreErrors) {}

  private final StepFiles files;
  private final Deque<Open> open = new ArrayDeque<>();
  private int count;

  BlockSteps(StepFiles files) {
    this.files = files;
  }

  /** Returns whether a step list's entry is a block rather than a step. */
  static boolean isBlock(YamlNode n) {
    return n.isMapping() && n.asMap("a step").has("block");
  }

  /** Expands one block entry: its {@code block:}, then {@code rescue:}, then {@code always:}. */
  List<Step> expand(YamlNode n, StepFiles.Context ctx) {
    YamlMap m = n.asMap("a block").allowOnly(KEYS);
    String prefix = ctx.prefix();
    Optional<YamlNode> idNode = m.get("id");
    if (idNode.isPresent()) {
      String id = idNode.get().asString("id");
      if (!Step.ID.matcher(id).matches()) {
        throw idNode
            .get()
            .error(
                "invalid block id " + Echo.quote(id),
                "a block's id prefixes its steps' ids (ID.STEP): lower-case letters, digits, '-',"
                    + " '_' or '.'");
      }
      prefix = prefix + id + ".";
    }
    List<String> whens = new ArrayList<>(ctx.whens());
    m.get("when").ifPresent(w -> whens.add(files.condition(w)));
    List<String> tags = new ArrayList<>(ctx.tags());
    m.get("tags")
        .ifPresent(
            t ->
                (t.isSequence() ? t.asList("tags") : List.of(t))
                    .forEach(x -> tags.add(x.asString("tags"))));
    Map<String, Object> vars = new LinkedHashMap<>(ctx.vars());
    Map<String, Object> nameVars = new LinkedHashMap<>(ctx.nameVars());
    if (m.has("vars")) {
      m.require("vars").asMap("vars");
      @SuppressWarnings("unchecked")
      Map<String, Object> own = (Map<String, Object>) m.require("vars").toPlain("vars");
      vars.putAll(own);
      nameVars.putAll(own);
    }
    StepFiles.Context inner =
        new StepFiles.Context(
            ctx.dir(), prefix, whens, tags, vars, ctx.role(), ctx.chain(), nameVars);
    int number = ++count;
    String name = m.string("name").orElse(idNode.map(i -> i.asString("id")).orElse(""));
    boolean hasRescue = m.has("rescue");
    Optional<Boolean> become = m.get("become").map(v -> v.asBoolean("become"));
    Optional<String> becomeUser = m.string("become_user");
    Optional<Boolean> ignore = m.get("ignore_errors").map(v -> v.asBoolean("ignore_errors"));
    List<Step> out = new ArrayList<>();
    for (BlockFrame.Section section : BlockFrame.Section.values()) {
      String key = section.name().toLowerCase(java.util.Locale.ROOT);
      Optional<YamlNode> list = m.get(key);
      if (list.isEmpty()) {
        continue;
      }
      List<YamlNode> items = list.get().isNull() ? List.of() : list.get().asList(key);
      if (section == BlockFrame.Section.BLOCK && items.isEmpty()) {
        throw list.get()
            .error("'block' has no steps", "list the block's steps under 'block:', or remove it");
      }
      open.push(
          new Open(new BlockFrame(number, name, section, hasRescue), become, becomeUser, ignore));
      try {
        out.addAll(files.expand(items, inner));
      } finally {
        open.pop();
      }
    }
    return out;
  }

  /**
   * Returns the step as the blocks it stands in change it: their frames, and the keywords it
   * inherits from them where its own entry {@code n} does not set them (the innermost block's value
   * first).
   */
  Step inherit(Step s, YamlNode n) {
    if (open.isEmpty()) {
      return s;
    }
    List<BlockFrame> frames = new ArrayList<>();
    open.descendingIterator().forEachRemaining(o -> frames.add(o.frame()));
    YamlMap own = n.asMap("a step");
    Set<String> decided = new java.util.HashSet<>();
    for (String key : List.of("become", "become_user", "ignore_errors")) {
      if (own.has(key)) {
        decided.add(key);
      }
    }
    boolean become = s.become();
    String becomeUser = s.becomeUser();
    boolean ignore = s.extras().ignoreErrors();
    for (Open o : open) { // innermost first
      if (o.become().isPresent() && decided.add("become")) {
        become = o.become().get();
      }
      if (o.becomeUser().isPresent() && decided.add("become_user")) {
        becomeUser = o.becomeUser().get();
      }
      if (o.ignoreErrors().isPresent() && decided.add("ignore_errors")) {
        ignore = o.ignoreErrors().get();
      }
    }
    StepExtras e = s.extras();
    StepExtras extras =
        e.withResults(e.module(), e.failedWhen(), e.until(), ignore).withBlocks(frames);
    return new Step(
        s.id(),
        s.name(),
        s.shell(),
        s.when(),
        s.creates(),
        s.timeout(),
        s.retries(),
        s.delay(),
        s.register(),
        become,
        becomeUser,
        s.environment(),
        s.traits(),
        extras,
        s.location());
  }
}
