package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlNodes;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Ansible's tasks as our steps: each task of a play, a role's task file, an included file or
 * a block is rewritten into the step our format would write for it, node by node, so that the
 * playbook loader validates it and every error names the task's own {@code file:line:column}
 * (README "Ansible playbooks"). What it does, after ansible-core 2.14's task parser ({@code
 * lib/ansible/parsing/mod_args.py}, {@code playbook/task.py}):
 *
 * <ul>
 *   <li>the module is the one key that is no task keyword; {@code action:} and {@code
 *       local_action:} name it in their value ({@code local_action} is {@code delegate_to:
 *       localhost}); {@code ansible.builtin.X} and {@code ansible.legacy.X} are {@code X};
 *   <li>free-form {@code k=v} arguments become a mapping ({@link
 *       dev.orchestrator.inventory.KeyValues}); {@code args:} is merged under them (the module line
 *       wins, as {@code _normalize_parameters});
 *   <li>{@code import_tasks}/{@code include_tasks} become our {@code import_steps}/{@code
 *       include_steps}, with an id prefix named after the file; a task's {@code vars:} becomes a
 *       block around it; {@code with_list} and {@code with_dict} become {@code loop} (with {@code
 *       dict2items} for the latter, whose items have {@code key} and {@code value});
 *   <li>each step gets an id (its checkpoint key) from its name: lower case, runs of other
 *       characters as {@code -}, numbered {@code -2}, {@code -3} within its file when names repeat;
 *       a task without a name is named after its module;
 *   <li>the play's {@code become*}, {@code environment} and {@code tags} are inherited by every
 *       task that does not set its own ({@code environment} merged, the task's winning; tags
 *       added);
 *   <li>{@code check_mode} is checked against the module and dropped ({@link AnsibleCheckMode});
 *   <li>a keyword or module we do not run is refused here, at its position, saying so and what to
 *       write instead: nothing of the playbook runs.
 * </ul>
 */
final class AnsibleTasks {
  /** Task keywords our steps take under the same name and meaning. */
  static final Set<String> SAME =
      Set.of(
          "name",
          "when",
          "changed_when",
          "failed_when",
          "register",
          "become",
          "become_user",
          "become_method",
          "become_flags",
          "environment",
          "tags",
          "loop",
          "loop_control",
          "with_items",
          "delegate_to",
          "delegate_facts",
          "run_once",
          "notify",
          "until",
          "retries",
          "delay",
          "ignore_errors",
          "timeout");

  /** Task keywords we do not run, with what to do instead. */
  static final Map<String, String> REFUSED = refused();

  private static Map<String, String> refused() {
    Map<String, String> out = new LinkedHashMap<>(AnsiblePlays.REFUSED_EVERYWHERE);
    out.put("async", "run the command in the foreground, or 'detached: true' in our format");
    out.put("poll", "run the command in the foreground");
    out.put("connection", "set ansible_connection in the inventory");
    out.put("port", "set ansible_port in the inventory");
    out.put("remote_user", "set ansible_user in the inventory");
    out.put("any_errors_fatal", "set any_errors_fatal on the play");
    out.put("listen", "'listen' is for handlers");
    out.remove("check_mode"); // read on tasks: AnsibleCheckMode
    return java.util.Collections.unmodifiableMap(out);
  }

  /** Keywords of a block entry (ansible-core {@code playbook/block.py}) that we read. */
  static final Set<String> BLOCK_SAME =
      Set.of(
          "block",
          "rescue",
          "always",
          "name",
          "when",
          "tags",
          "vars",
          "become",
          "become_user",
          "ignore_errors");

  /** What a play gives every task that does not say otherwise. */
  record Inherited(
      Map<String, YamlNode> keywords, Optional<YamlNode> environment, Optional<YamlNode> tags) {
    static final Inherited NONE = new Inherited(Map.of(), Optional.empty(), Optional.empty());
  }

  private final Inherited inherited;
  private final boolean handlers;
  private final Set<String> modules;
  private final Map<String, Integer> ids = new HashMap<>();

  /**
   * A reader for one file's (or one play section's) tasks: ids are unique within it.
   *
   * @param inherited the play's keywords its tasks inherit
   * @param handlers whether these are handlers (they may {@code listen})
   * @param modules the modules our format runs (the step keys that name an action)
   */
  AnsibleTasks(Inherited inherited, boolean handlers, Set<String> modules) {
    this.inherited = inherited;
    this.handlers = handlers;
    this.modules = modules;
  }

  /** Rewrites a list of tasks. */
  List<YamlNode> tasks(List<YamlNode> items) {
    List<YamlNode> out = new ArrayList<>();
    for (YamlNode n : items) {
      out.add(task(n));
    }
    return out;
  }

  /** Rewrites one task (or block, or include). */
  YamlNode task(YamlNode n) {
    YamlMap m = n.asMap(handlers ? "a handler" : "a task");
    if (m.has("block")) {
      return block(n, m);
    }
    List<YamlMap.Entry> keywords = new ArrayList<>();
    List<YamlMap.Entry> actions = new ArrayList<>();
    Optional<YamlMap.Entry> args = Optional.empty();
    Optional<YamlMap.Entry> vars = Optional.empty();
    for (YamlMap.Entry e : m.entries()) {
      String k = e.name();
      if (SAME.contains(k) || (handlers && k.equals("listen"))) {
        keywords.add(e);
      } else if (k.equals("args")) {
        args = Optional.of(e);
      } else if (k.equals("vars")) {
        vars = Optional.of(e);
      } else if (k.equals("with_list") || k.equals("with_dict")) {
        keywords.add(e);
      } else if (k.equals("check_mode")) {
        continue; // checked against the module below (AnsibleCheckMode), then dropped
      } else if (REFUSED.containsKey(k)) {
        throw e.key()
            .error("the task keyword '" + k + "' is not supported by orchestrator", REFUSED.get(k));
      } else if (k.startsWith("with_")) {
        throw e.key()
            .error(
                "the loop '" + k + "' (the lookup '" + k.substring(5) + "') is not supported",
                "write 'loop:' over a list (with_items, with_list and with_dict are read as"
                    + " Ansible reads them)");
      } else if (k.equals("rescue") || k.equals("always")) {
        throw e.key().error("'" + k + "' without 'block'", "put the tasks it guards under block:");
      } else {
        actions.add(e);
      }
    }
    if (actions.isEmpty()) {
      throw n.error(
          "no module in this task: every key is a task keyword",
          "name the module to run, e.g. 'ansible.builtin.shell: CMD'");
    }
    if (actions.size() > 1) {
      throw actions
          .get(1)
          .key()
          .error(
              "a task runs one module, this one names '"
                  + actions.get(0).name()
                  + "' and '"
                  + actions.get(1).name()
                  + "'",
              "split it in two tasks (or check the spelling of a task keyword)");
    }
    AnsibleModules.Action action = new AnsibleModules(modules).action(actions.get(0), args);
    AnsibleCheckMode.check(m, action.module());
    List<Map.Entry<YamlNode, YamlNode>> out = new ArrayList<>();
    if (action.include()) {
      return include(n, m, action, keywords);
    }
    if (action.role()) {
      return RoleImport.entry(n, m, action, keywords);
    }
    String name = m.string("name").orElse(action.module());
    out.add(entry(n, "id", YamlNodes.scalar(n, id(name))));
    for (YamlMap.Entry e : keywords) {
      switch (e.name()) {
        case "with_list" -> out.add(entry(e.key(), "loop", e.value()));
        case "with_dict" -> out.add(entry(e.key(), "loop", dictItems(e.value())));
        case "environment", "tags" -> {}
        default -> out.add(new AbstractMap.SimpleEntry<>(e.key(), e.value()));
      }
    }
    if (action.delegateToLocalhost()) {
      if (m.has("delegate_to")) {
        throw m.entry("delegate_to")
            .orElseThrow()
            .key()
            .error(
                "a task has both 'local_action' and 'delegate_to'",
                "local_action runs on localhost: remove one of them");
      }
      out.add(entry(action.at(), "delegate_to", YamlNodes.scalar(action.at(), "localhost")));
    }
    out.add(entry(action.at(), action.module(), action.args()));
    action.creates().ifPresent(c -> out.add(entry(c, "creates", c)));
    inherit(out, m);
    YamlNode step = YamlNodes.mapping(n, out);
    if (vars.isPresent()) {
      // a task's vars are its own: a block of one step carries them (BlockSteps)
      return YamlNodes.mapping(
          n,
          List.of(
              entry(vars.get().key(), "block", YamlNodes.sequence(n, List.of(step))),
              entry(vars.get().key(), "vars", vars.get().value())));
    }
    return step;
  }

  /** An include becomes our include entry, its file's name the id prefix of its steps. */
  private YamlNode include(
      YamlNode n, YamlMap m, AnsibleModules.Action action, List<YamlMap.Entry> keywords) {
    List<Map.Entry<YamlNode, YamlNode>> out = new ArrayList<>();
    out.add(entry(action.at(), action.module(), action.args()));
    String file = action.args().asString(action.module());
    String base = file.replaceAll(".*/", "").replaceFirst("\\.ya?ml$", "");
    out.add(entry(action.at(), "id", YamlNodes.scalar(action.at(), id(base))));
    for (YamlMap.Entry e : keywords) {
      if (!Set.of("name", "when", "tags").contains(e.name())) {
        throw e.key()
            .error(
                "'"
                    + e.name()
                    + "' on '"
                    + m.entries().stream()
                        .filter(x -> x.key() == action.at())
                        .map(YamlMap.Entry::name)
                        .findFirst()
                        .orElse(action.module())
                    + "' is not supported",
                "put it on the included tasks, or wrap the include in a block");
      }
      out.add(new AbstractMap.SimpleEntry<>(e.key(), e.value()));
    }
    m.entry("vars").ifPresent(v -> out.add(new AbstractMap.SimpleEntry<>(v.key(), v.value())));
    return YamlNodes.mapping(n, out);
  }

  /** A block: its tasks rewritten, the keywords our blocks read kept, others refused. */
  private YamlNode block(YamlNode n, YamlMap m) {
    List<Map.Entry<YamlNode, YamlNode>> out = new ArrayList<>();
    for (YamlMap.Entry e : m.entries()) {
      String k = e.name();
      if (k.equals("block") || k.equals("rescue") || k.equals("always")) {
        out.add(
            new AbstractMap.SimpleEntry<>(
                e.key(), YamlNodes.sequence(e.value(), tasks(e.value().asList(k)))));
      } else if (BLOCK_SAME.contains(k)) {
        out.add(new AbstractMap.SimpleEntry<>(e.key(), e.value()));
      } else {
        throw e.key()
            .error(
                "the block keyword '" + k + "' is not supported by orchestrator",
                REFUSED.getOrDefault(k, "set it on each task of the block"));
      }
    }
    return YamlNodes.mapping(n, out);
  }

  /** Adds the play's keywords the task does not set itself. */
  private void inherit(List<Map.Entry<YamlNode, YamlNode>> out, YamlMap m) {
    for (Map.Entry<String, YamlNode> k : inherited.keywords().entrySet()) {
      if (!m.has(k.getKey())) {
        out.add(entry(k.getValue(), k.getKey(), k.getValue()));
      }
    }
    Optional<YamlNode> env = merged(inherited.environment(), m.get("environment"), "environment");
    env.ifPresent(e -> out.add(entry(e, "environment", e)));
    if (!handlers) {
      Optional<YamlNode> tags = tags(inherited.tags(), m.get("tags"));
      tags.ifPresent(t -> out.add(entry(t, "tags", t)));
    } else {
      m.get("tags").ifPresent(t -> out.add(entry(t, "tags", t)));
    }
  }

  private static Optional<YamlNode> merged(
      Optional<YamlNode> play, Optional<YamlNode> task, String what) {
    if (play.isEmpty()) {
      return task;
    }
    if (task.isEmpty()) {
      return play;
    }
    Map<String, Map.Entry<YamlNode, YamlNode>> all = new LinkedHashMap<>();
    for (YamlNode source : List.of(play.get(), task.get())) {
      for (YamlMap.Entry e : source.asMap(what).entries()) {
        all.put(e.name(), new AbstractMap.SimpleEntry<>(e.key(), e.value()));
      }
    }
    return Optional.of(YamlNodes.mapping(task.get(), new ArrayList<>(all.values())));
  }

  private static Optional<YamlNode> tags(Optional<YamlNode> play, Optional<YamlNode> task) {
    if (play.isEmpty()) {
      return task;
    }
    List<YamlNode> all = new ArrayList<>();
    for (Optional<YamlNode> t : List.of(play, task)) {
      if (t.isPresent()) {
        all.addAll(t.get().isSequence() ? t.get().asList("tags") : List.of(t.get()));
      }
    }
    return Optional.of(YamlNodes.sequence(task.orElse(play.get()), all));
  }

  /** {@code with_dict: X} as {@code loop: "{{ X | dict2items }}"} (X a template or a mapping). */
  private static YamlNode dictItems(YamlNode value) {
    if (value.isScalar()) {
      String text = value.asString("with_dict").strip();
      if (text.startsWith("{{") && text.endsWith("}}")) {
        return YamlNodes.scalar(
            value, "{{ (" + text.substring(2, text.length() - 2).strip() + ") | dict2items }}");
      }
      return YamlNodes.scalar(value, "{{ " + text + " | dict2items }}");
    }
    List<YamlNode> items = new ArrayList<>();
    for (YamlMap.Entry e : value.asMap("with_dict").entries()) {
      items.add(
          YamlNodes.mapping(
              e.key(),
              List.of(
                  entry(e.key(), "key", YamlNodes.scalar(e.key(), e.name())),
                  entry(e.key(), "value", e.value()))));
    }
    return YamlNodes.sequence(value, items);
  }

  /**
   * A step id from a task's name, unique within this reader: lower case, every run of characters
   * other than letters, digits and {@code _} as one {@code -}, at most 60 characters; repeated
   * names get {@code -2}, {@code -3}, ...
   */
  String id(String name) {
    String slug =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > 60) {
      slug = slug.substring(0, 60).replaceAll("-+$", "");
    }
    if (slug.isEmpty()) {
      slug = "task";
    }
    int n = ids.merge(slug, 1, Integer::sum);
    String id = n == 1 ? slug : slug + "-" + n;
    while (n > 1 && ids.containsKey(id)) {
      n = ids.merge(slug, 1, Integer::sum);
      id = slug + "-" + n;
    }
    if (n > 1) {
      ids.put(id, 1);
    }
    return id;
  }

  private static Map.Entry<YamlNode, YamlNode> entry(YamlNode at, String key, YamlNode value) {
    return new AbstractMap.SimpleEntry<>(YamlNodes.scalar(at, key), value);
  }
}
