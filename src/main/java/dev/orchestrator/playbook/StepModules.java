package dev.orchestrator.playbook;

import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the module a step calls ({@link ModuleCall}) and the result keywords {@code failed_when},
 * {@code until} and {@code ignore_errors}, validating every argument as Ansible's module would
 * accept it, each error at its {@code file:line:column} with what to write instead. Called by
 * {@link PlaybookLoader#load} for every step; the keys it reads are in {@link #KEYS}.
 */
final class StepModules {
  /** The step keys read here: the modules' names and the result keywords. */
  static final Set<String> KEYS = keys();

  private final ModuleArgReader reader = new ModuleArgReader();
  private final HostModuleArgs host = new HostModuleArgs(reader);
  private final CommandModuleArgs commands = new CommandModuleArgs(reader);
  private final ServiceModuleArgs services = new ServiceModuleArgs(reader);
  private final AccountModuleArgs accounts = new AccountModuleArgs(reader);
  private final CronModuleArgs crons = new CronModuleArgs(reader);
  private final SetupModuleArgs setups = new SetupModuleArgs(reader);
  private final LampModuleArgs lamp = new LampModuleArgs(reader);
  private final PackageModuleArgs packages = new PackageModuleArgs(reader);
  private final SourceModuleArgs sources = new SourceModuleArgs(reader);
  private final FileEditArgs files = new FileEditArgs(reader);
  private final ScriptModuleArgs scripts = new ScriptModuleArgs(reader);
  private final UnarchiveModuleArgs archives = new UnarchiveModuleArgs(reader);
  private final IncludeVarsArgs includes = new IncludeVarsArgs(reader);

  private static Set<String> keys() {
    Set<String> k = new java.util.HashSet<>(ModuleCall.NAMES);
    k.addAll(List.of("failed_when", "until", "ignore_errors"));
    return Set.copyOf(k);
  }

  /**
   * Reads the module a step calls, empty when it calls none; a step has one action key: {@code
   * shell}, {@code upload} or one module.
   *
   * @param playbookDir the playbook's folder (where a controller file such as {@code script}'s is
   *     looked for last)
   */
  Optional<ModuleCall> module(YamlMap m, String where, java.nio.file.Path playbookDir) {
    List<YamlMap.Entry> modules =
        m.entries().stream()
            .filter(e -> ModuleCall.NAMES.contains(e.name()))
            .filter(
                e ->
                    !e.name().equals("shell")
                        || (e.value().isMapping()
                            && !dev.orchestrator.yaml.YamlNodes.isUnquotedTemplate(
                                e.value()))) // the mapping form
            .toList();
    if (modules.isEmpty()) {
      return Optional.empty();
    }
    YamlMap.Entry e = modules.get(0);
    if (modules.size() > 1) {
      throw modules
          .get(1)
          .key()
          .error(
              where + " has both '" + e.name() + "' and '" + modules.get(1).name() + "'",
              "a step calls one module; split it in two steps");
    }
    for (String other : List.of("shell", "upload")) {
      if (m.has(other) && !other.equals(e.name())) {
        throw e.key()
            .error(
                where + " has both '" + other + "' and '" + e.name() + "'",
                "a step has one action: 'shell', 'upload' or one module; split it in two steps");
      }
    }
    for (String trait : List.of("check", "detached")) {
      if (m.has(trait)) {
        throw m.entry(trait)
            .orElseThrow()
            .key()
            .error(
                where + " calls module '" + e.name() + "', which cannot be '" + trait + "'",
                "remove '" + trait + "' (it applies to 'shell' steps)");
      }
    }
    String w = where + ", '" + e.name() + "'";
    Map<String, Object> args =
        switch (e.name()) {
          case "debug" -> debug(e.value(), w);
          case "set_fact" -> setFact(e.value(), w);
          case "include_vars" -> includes.read(e.value(), w, playbookDir);
          case "fail" -> fail(e.value(), w);
          case "assert" -> assertion(e.value(), w);
          case "pause" -> pause(e.value(), w);
          case "wait_for" -> host.waitFor(e.value(), w);
          case "command", "shell", "raw", "ping", "stat" -> commands.read(e.name(), e.value(), w);
          case "service" -> services.service(e.value(), w);
          case "group" -> accounts.group(e.value(), w);
          case "cron" -> crons.cron(e.value(), w);
          case "user" -> accounts.user(e.value(), w);
          case "setup" -> setups.setup(e.value(), w);
          case "haproxy" -> lamp.haproxy(e.value(), w);
          case "nagios" -> lamp.nagios(e.value(), w);
          case "npm" -> lamp.npm(e.value(), w);
          case "seboolean" -> lamp.seboolean(e.value(), w);
          case "package", "apt", "yum", "dnf" -> packages.read(e.name(), e.value(), w);
          case "git" -> sources.git(e.value(), w);
          case "get_url" -> sources.getUrl(e.value(), w);
          case "script" -> scripts.read(e.value(), w, playbookDir);
          case "unarchive" -> archives.read(e.value(), w, playbookDir);
          case "lineinfile", "blockinfile", "replace", "file" -> files.read(e.name(), e.value(), w);
          case "systemd", "systemd_service" -> services.systemd(e.value(), w, e.name());
          default -> host.uri(e.value(), w);
        };
    return Optional.of(new ModuleCall(e.name(), args));
  }

  /**
   * Returns {@code base} with the step's module and result keywords ({@code failed_when}, {@code
   * until}, {@code ignore_errors}).
   */
  StepExtras results(YamlMap m, String where, Optional<ModuleCall> module, StepExtras base) {
    List<String> failedWhen = new ArrayList<>();
    Optional<YamlNode> fw = m.get("failed_when");
    if (fw.isPresent()) {
      for (YamlNode c :
          fw.get().isSequence() ? fw.get().asList("failed_when") : List.of(fw.get())) {
        failedWhen.add(reader.condition(c, where, "failed_when"));
      }
    }
    Optional<String> until = m.get("until").map(u -> reader.condition(u, where, "until"));
    boolean ignore = m.get("ignore_errors").map(v -> v.asBoolean("ignore_errors")).orElse(false);
    return base.withResults(module, failedWhen, until, ignore);
  }

  private Map<String, Object> debug(YamlNode node, String where) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (node.isNull()) {
      return args; // Ansible prints "Hello world!"
    }
    YamlMap m = reader.map(node, "debug", "write e.g. debug: {msg: \"version {{ v.stdout }}\"}");
    m.allowOnly(Set.of("msg", "var", "verbosity"));
    if (m.has("msg") && m.has("var")) {
      throw m.entry("var")
          .orElseThrow()
          .key()
          .error(where + " has both 'msg' and 'var'", "print either a message or a variable");
    }
    m.get("msg").ifPresent(v -> args.put("msg", reader.templated(v, where, "msg")));
    if (m.get("var").isPresent()) {
      YamlNode v = m.get("var").get();
      String var = v.asString("var");
      reader.check(v, "{{ " + var + " }}", where, "var");
      args.put("var", var);
    }
    m.get("verbosity")
        .ifPresent(v -> args.put("verbosity", reader.number(v, where, "verbosity", 0, 5)));
    return args;
  }

  private Map<String, Object> setFact(YamlNode node, String where) {
    YamlMap m = reader.map(node, "set_fact", "write e.g. set_fact: {release: \"{{ v.stdout }}\"}");
    if (m.entries().isEmpty()) {
      throw node.error(where + " sets no fact", "write at least one 'name: value' pair");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    for (YamlMap.Entry e : m.entries()) {
      if (e.name().equals("cacheable")) {
        throw e.key()
            .error(
                where + ": 'cacheable' is not supported (there is no fact cache)",
                "remove it; facts set here persist in the run's checkpoints");
      }
      if (!Step.IDENTIFIER.matcher(e.name()).matches()) {
        throw e.key()
            .error(
                where + ": invalid fact name '" + e.name() + "'",
                "use a variable name: letters, digits and '_', not starting with a digit");
      }
      args.put(e.name(), reader.templated(e.value(), where, e.name()));
    }
    return args;
  }

  private Map<String, Object> fail(YamlNode node, String where) {
    Map<String, Object> args = new LinkedHashMap<>();
    if (!node.isNull()) {
      YamlMap m = reader.map(node, "fail", "write e.g. fail: {msg: \"unsupported release\"}");
      m.allowOnly(Set.of("msg"));
      m.get("msg").ifPresent(v -> args.put("msg", reader.templated(v, where, "msg")));
    }
    return args;
  }

  private Map<String, Object> assertion(YamlNode node, String where) {
    YamlMap m = reader.map(node, "assert", "write e.g. assert: {that: [\"v.rc == 0\"]}");
    m.allowOnly(Set.of("that", "fail_msg", "msg", "success_msg", "quiet"));
    if (m.get("that").isEmpty()) {
      throw node.error(
          where + " has no 'that'", "write the conditions that must hold: that: [\"v.rc == 0\"]");
    }
    YamlNode that = m.get("that").get();
    List<String> conditions = new ArrayList<>();
    for (YamlNode c : that.isSequence() ? that.asList("that") : List.of(that)) {
      conditions.add(reader.condition(c, where, "that"));
    }
    if (conditions.isEmpty()) {
      throw that.error(where + ": 'that' is empty", "write at least one condition");
    }
    if (m.has("fail_msg") && m.has("msg")) {
      throw m.entry("msg")
          .orElseThrow()
          .key()
          .error(where + " has both 'fail_msg' and 'msg'", "'msg' is an alias of 'fail_msg'");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("that", conditions);
    m.get("fail_msg")
        .or(() -> m.get("msg"))
        .ifPresent(v -> args.put("fail_msg", reader.templated(v, where, "fail_msg")));
    m.get("success_msg")
        .ifPresent(v -> args.put("success_msg", reader.templated(v, where, "success_msg")));
    m.get("quiet").ifPresent(v -> args.put("quiet", v.asBoolean("quiet")));
    return args;
  }

  private Map<String, Object> pause(YamlNode node, String where) {
    YamlMap m = reader.map(node, "pause", "write e.g. pause: {seconds: 30}");
    m.allowOnly(Set.of("seconds", "minutes", "prompt"));
    if (m.has("seconds") && m.has("minutes")) {
      throw m.entry("minutes")
          .orElseThrow()
          .key()
          .error(where + " has both 'seconds' and 'minutes'", "give one of them");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    m.get("seconds")
        .ifPresent(v -> args.put("seconds", reader.number(v, where, "seconds", 0, 86_400)));
    m.get("minutes")
        .ifPresent(v -> args.put("minutes", reader.number(v, where, "minutes", 0, 1_440)));
    m.get("prompt").ifPresent(v -> args.put("prompt", reader.templated(v, where, "prompt")));
    if (!args.containsKey("seconds") && !args.containsKey("minutes")) {
      throw node.error(
          where + " waits for a key press, and a run is not interactive",
          "give 'seconds:' or 'minutes:'; to wait for a person, end the stage here and add an"
              + " approval gate (gates: - approval: QUESTION), which resume continues after");
    }
    return args;
  }
}
