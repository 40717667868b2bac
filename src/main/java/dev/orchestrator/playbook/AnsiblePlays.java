package dev.orchestrator.playbook;

import dev.orchestrator.common.InputException;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import dev.orchestrator.yaml.YamlNodes;
import dev.orchestrator.yaml.YamlTyping;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a playbook written in Ansible's own format, a YAML list of plays
 * (https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_intro.html), as our playbook:
 * the play becomes one stage ({@code hosts}, {@code serial}, {@code max_fail_percentage}, {@code
 * any_errors_fatal}), and its {@code pre_tasks}, {@code roles}, {@code tasks} and {@code
 * post_tasks} our steps in that order, with a handler flush after the pre tasks and after the
 * tasks, where Ansible flushes them (and at the end, as always); its tasks are read by {@link
 * AnsibleTasks}. The file is read with PyYAML's scalar types ({@code yes}/{@code no} are booleans),
 * as Ansible reads it.
 *
 * <p>A play without tasks (one that only gathers facts, for the plays after it) gets one step that
 * changes nothing ({@code ping}), {@code gather-facts}, so that its hosts' pipelines start and
 * gather them. Several plays and {@code import_playbook}: {@link AnsiblePlayList}. Where we differ,
 * refused with the reason at the key's {@code file:line:column} (README "Ansible playbooks"): the
 * play keywords in {@link #REFUSED}.
 */
final class AnsiblePlays {
  /** Play keywords read as Ansible reads them. */
  static final Set<String> KEYS =
      Set.of(
          "name",
          "hosts",
          "serial",
          "max_fail_percentage",
          "any_errors_fatal",
          "gather_facts",
          "vars",
          "vars_files",
          "become",
          "become_user",
          "become_method",
          "become_flags",
          "environment",
          "tags",
          "ignore_errors",
          "pre_tasks",
          "roles",
          "tasks",
          "post_tasks",
          "handlers",
          "remote_user",
          "connection",
          "port",
          "order",
          "strategy");

  /** Play keywords we do not run, with what to do instead. */
  /** Keywords refused on plays and tasks alike, with what to do instead. */
  static final Map<String, String> REFUSED_EVERYWHERE =
      Map.of(
          "no_log",
              "list the secret variables under --secrets-file (masked everywhere) and remove no_log",
          "check_mode", "remove it: 'orchestrator plan --check' changes nothing anyway",
          "diff", "remove it: 'plan --check --diff' shows file diffs",
          "collections", "use the modules' full names (ansible.builtin.*)",
          "module_defaults", "write the arguments on each task",
          "throttle", "use the play's 'serial' or -f/--forks",
          "debugger", "remove it",
          "ignore_unreachable", "remove it: an unreachable host pauses, resume continues",
          "become_exe", "set ansible_become_exe in the inventory");

  static final Map<String, String> REFUSED = refused();

  private static Map<String, String> refused() {
    Map<String, String> out = new LinkedHashMap<>(REFUSED_EVERYWHERE);
    out.put("vars_prompt", "a run asks nothing: pass the values with -e or a vars file");
    out.put("force_handlers", "remove it: notified handlers survive a pause and run on resume");
    out.put("gather_subset", "remove it: the facts gathered are README's documented set");
    out.put("gather_timeout", "remove it");
    out.put("fact_path", "remove it: local facts are not gathered");
    out.put("run_once", "set run_once on the tasks");
    out.put("timeout", "set timeout on the tasks");
    return java.util.Collections.unmodifiableMap(out);
  }

  /** Keywords every task of the play inherits unless it sets its own. */
  private static final List<String> INHERITED =
      List.of("become", "become_user", "become_method", "become_flags", "ignore_errors");

  private final PlaybookLoader loader;

  AnsiblePlays(PlaybookLoader loader) {
    this.loader = loader;
  }

  /**
   * Reads one play.
   *
   * @param file the file the play is in (its relative paths are relative to it)
   * @param p the play's mapping, read with PyYAML's types
   * @return the play as a playbook of one stage
   * @throws InputException on anything we do not run, at its {@code file:line:column}
   */
  Playbook play(Path file, YamlNode p) {
    YamlMap m = p.asMap("a play");
    for (YamlMap.Entry e : m.entries()) {
      if (REFUSED.containsKey(e.name())) {
        throw e.key()
            .error(
                "the play keyword '" + e.name() + "' is not supported by orchestrator",
                REFUSED.get(e.name()));
      }
      if (!KEYS.contains(e.name())) {
        throw e.key()
            .error(
                "unknown play keyword '" + e.name() + "'",
                "check its spelling; the play keywords orchestrator reads: "
                    + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    check(m, "order", Set.of("inventory"), "hosts run in inventory order");
    check(m, "strategy", Set.of("linear"), "steps run as Ansible's linear strategy runs them");
    Map<String, YamlNode> inherited = new LinkedHashMap<>();
    for (String k : INHERITED) {
      m.get(k).ifPresent(v -> inherited.put(k, v));
    }
    commandLineDefaults(p, inherited, loader.privilege());
    AnsibleTasks.Inherited keywords =
        new AnsibleTasks.Inherited(inherited, m.get("environment"), m.get("tags"));
    java.util.Set<String> modules = new java.util.HashSet<>(PlaybookLoader.ACTION_KEYS);
    StepDialect tasks =
        new StepDialect(
            YamlTyping.PYYAML_1_1, () -> new AnsibleTasks(keywords, false, modules)::tasks);
    StepDialect handlers =
        new StepDialect(
            YamlTyping.PYYAML_1_1, () -> new AnsibleTasks(keywords, true, modules)::tasks);
    AnsibleTasks playTasks = new AnsibleTasks(keywords, false, modules);
    List<Map.Entry<YamlNode, YamlNode>> top = new ArrayList<>();
    Optional<BatchPause> pause = BatchPause.of(m);
    top.add(entry(p, "stages", YamlNodes.sequence(p, List.of(stage(p, m, pause)))));
    Map<String, Object> below = new LinkedHashMap<>();
    connectionDefault(m, "remote_user", "ansible_user", below);
    connectionDefault(m, "connection", "ansible_connection", below);
    connectionDefault(m, "port", "ansible_port", below);
    m.get("vars_files").ifPresent(v -> top.add(entry(v, "vars_files", v)));
    top.add(entry(p, "gather_facts", m.get("gather_facts").orElse(YamlNodes.plain(p, "true"))));
    Optional<YamlNode> pre = m.get("pre_tasks").map(t -> sequence(t, playTasks, "pre_tasks"));
    List<YamlNode> main = new ArrayList<>();
    if (pre.isPresent() && !pre.get().asList("pre_tasks").isEmpty()) {
      List<YamlNode> withFlush = new ArrayList<>(pre.get().asList("pre_tasks"));
      withFlush.add(flush(m.entry("pre_tasks").orElseThrow().key(), "flush-handlers-pre-tasks"));
      pre = Optional.of(YamlNodes.sequence(pre.get(), withFlush));
    }
    m.get("tasks")
        .ifPresent(
            t ->
                main.addAll(
                    sequence(pause.map(b -> b.without(t, "tasks")).orElse(t), playTasks, "tasks")
                        .asList("tasks")));
    Optional<YamlNode> post =
        m.get("post_tasks")
            .map(
                t ->
                    sequence(
                        pause.map(b -> b.without(t, "post_tasks")).orElse(t),
                        playTasks,
                        "post_tasks"));
    if (post.isPresent() && !post.get().asList("post_tasks").isEmpty()) {
      main.add(flush(m.entry("post_tasks").orElseThrow().key(), "flush-handlers-tasks"));
      main.addAll(post.get().asList("post_tasks"));
    }
    m.get("roles").ifPresent(r -> top.add(entry(r, "roles", AnsibleRoleEntries.read(r))));
    boolean noTasks =
        pre.map(t -> t.asList("pre_tasks").isEmpty()).orElse(true)
            && main.isEmpty()
            && m.get("roles").map(r -> r.asList("roles").isEmpty()).orElse(true);
    if (noTasks) {
      // a play that only gathers facts (e.g. for the plays after it): one step that changes
      // nothing (ping), so that the host's pipeline starts and gathers them
      main.add(
          YamlNodes.mapping(
              p,
              List.of(
                  entry(p, "ping", YamlNodes.mapping(p, List.of())),
                  entry(p, "id", YamlNodes.scalar(p, "gather-facts")))));
    }
    top.add(entry(p, "steps", YamlNodes.sequence(p, main)));
    m.get("handlers")
        .ifPresent(
            h ->
                top.add(
                    entry(
                        h,
                        "handlers",
                        YamlNodes.sequence(
                            h,
                            new AnsibleTasks(keywords, true, modules)
                                .tasks(h.asList("handlers"))))));
    if (!below.isEmpty()) {
      top.add(entry(p, "vars", plainMapping(p, below)));
    }
    YamlMap synthetic = YamlNodes.mapping(p, top).asMap("a play");
    m.get("vars").ifPresent(v -> v.asMap("vars"));
    @SuppressWarnings("unchecked")
    Map<String, Object> playVars =
        m.get("vars").map(v -> (Map<String, Object>) v.toPlain("vars")).orElse(Map.of());
    return loader.build(file, synthetic, new PlaybookLoader.Play(pre, tasks, handlers, playVars));
  }

  /**
   * ansible-playbook's {@code -b}, {@code --become-user}, {@code --become-method} where the play
   * sets no {@code become}, {@code become_user}, {@code become_method} of its own: below playbook
   * keywords, as Ansible ranks command-line options
   * (https://docs.ansible.com/ansible/latest/reference_appendices/general_precedence.html); a task
   * that sets its own still wins.
   */
  private static void commandLineDefaults(
      YamlNode p, Map<String, YamlNode> inherited, dev.orchestrator.common.Privilege privilege) {
    if (privilege.become()) {
      inherited.putIfAbsent("become", YamlNodes.plain(p, "true"));
    }
    privilege.user().ifPresent(u -> inherited.putIfAbsent("become_user", YamlNodes.scalar(p, u)));
    privilege
        .method()
        .ifPresent(m -> inherited.putIfAbsent("become_method", YamlNodes.scalar(p, m)));
  }

  /** The play's stage: named after the play (or its hosts), with its batches and budget. */
  private static YamlNode stage(YamlNode p, YamlMap m, Optional<BatchPause> pause) {
    YamlNode hostsNode = m.require("hosts");
    String hosts =
        hostsNode.isSequence()
            ? String.join(
                ",", hostsNode.asList("hosts").stream().map(h -> h.asString("hosts")).toList())
            : hostsNode.asString("hosts");
    List<Map.Entry<YamlNode, YamlNode>> stage = new ArrayList<>();
    String name = m.string("name").filter(s -> !s.isBlank()).orElse(hosts);
    stage.add(entry(p, "name", YamlNodes.scalar(p, name)));
    stage.add(entry(hostsNode, "hosts", YamlNodes.scalar(hostsNode, hosts)));
    for (String k : List.of("serial", "max_fail_percentage", "any_errors_fatal")) {
      m.entry(k).ifPresent(e -> stage.add(new AbstractMap.SimpleEntry<>(e.key(), e.value())));
    }
    pause.ifPresent(b -> stage.add(entry(b.task(), "batch_gates", b.gates())));
    if (!m.has("max_fail_percentage")) {
      // Ansible: without max_fail_percentage, a failed host leaves the play and the others go
      // on; the play stops when every host of a batch failed: more than 99% of it
      stage.add(entry(p, "max_fail_percentage", YamlNodes.plain(p, "99")));
    }
    return YamlNodes.mapping(p, stage);
  }

  private static YamlNode sequence(YamlNode list, AnsibleTasks reader, String what) {
    return YamlNodes.sequence(list, reader.tasks(list.asList(what)));
  }

  private static YamlNode flush(YamlNode at, String id) {
    return YamlNodes.mapping(
        at,
        List.of(
            entry(at, "meta", YamlNodes.scalar(at, "flush_handlers")),
            entry(at, "id", YamlNodes.scalar(at, id))));
  }

  /**
   * A play's {@code remote_user}, {@code connection} or {@code port}: Ansible's inventory variable
   * ({@code ansible_user}, ...) wins over it, so it is a default below the inventory's.
   */
  private static void connectionDefault(
      YamlMap m, String keyword, String var, Map<String, Object> below) {
    m.get(keyword).ifPresent(v -> below.put(var, v.toPlain(keyword)));
  }

  private static void check(YamlMap m, String key, Set<String> allowed, String why) {
    Optional<YamlNode> v = m.get(key);
    if (v.isPresent() && !allowed.contains(v.get().asString(key))) {
      throw v.get()
          .error(
              "'" + key + ": " + v.get().asString(key) + "' is not supported",
              "remove it: " + why + " ('" + key + ": " + allowed.iterator().next() + "')");
    }
  }

  private static YamlNode plainMapping(YamlNode at, Map<String, Object> values) {
    List<Map.Entry<YamlNode, YamlNode>> out = new ArrayList<>();
    values.forEach((k, v) -> out.add(entry(at, k, YamlNodes.plain(at, String.valueOf(v)))));
    return YamlNodes.mapping(at, out);
  }

  private static Map.Entry<YamlNode, YamlNode> entry(YamlNode at, String key, YamlNode value) {
    return new AbstractMap.SimpleEntry<>(YamlNodes.scalar(at, key), value);
  }
}
