package dev.orchestrator.playbook;

import dev.orchestrator.common.Durations;
import dev.orchestrator.common.InputException;
import dev.orchestrator.template.TemplateEngine;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.yaml.YamlDocument;
import dev.orchestrator.yaml.YamlMap;
import dev.orchestrator.yaml.YamlNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads and validates a playbook file. Validation happens while loading (as jib-cli's {@code
 * BuildFileSpec} does): every error names the key and its {@code file:line:column}, unknown keys
 * are errors, and template syntax is checked before anything runs.
 *
 * <p>Why one class of over 400 lines: it validates every key of the playbook format with
 * file:line:column (the format's reference, README "Playbook format"); one method per section, kept
 * in one class so the accepted keys are listed in one place (TOP_KEYS, ReadmeTest).
 */
public final class PlaybookLoader {
  /** The keys a playbook's top level may have; any other is an error. */
  public static final Set<String> TOP_KEYS =
      Set.of(
          "name",
          "hosts",
          "vars",
          "stages",
          "steps",
          "rollback",
          "artifacts",
          "hops",
          "rollback_on_failure",
          "secret_vars",
          "roles",
          "vars_files",
          "handlers",
          "gather_facts");

  private static final Set<String> ARTIFACT_KEYS =
      Set.of("id", "url", "sha256", "sha256_url", "update_server", "public_key", "expect");
  private static final Set<String> UPDATE_SERVER_KEYS =
      Set.of("url", "installed_version", "channel", "php_version");
  private static final Set<String> STAGE_KEYS =
      Set.of(
          "name",
          "hosts",
          "serial",
          "max_fail_percentage",
          "any_errors_fatal",
          "gates",
          "batch_gates");
  private static final Set<String> HEALTH_KEYS =
      Set.of("url", "shell", "status", "json", "timeout", "interval");
  private static final Set<String> STEP_KEYS =
      withModules(
          Set.of(
              "id",
              "name",
              "shell",
              "when",
              "changed_when",
              "creates",
              "timeout",
              "retries",
              "delay",
              "register",
              "become",
              "become_user",
              "environment",
              "tags",
              "deferred",
              "expensive",
              "rollback_from",
              "check",
              "upload",
              "idempotent",
              "detached",
              // loops (LoopLoader)
              "loop",
              "with_items",
              "loop_control",
              // delegation (DelegationKeys)
              "delegate_to",
              "local_action",
              "delegate_facts",
              "run_once",
              // handlers (HandlerKeys)
              "notify",
              "listen",
              // facts and become (FactsKeys)
              "fact",
              "become_method",
              "become_flags",
              "become_password",
              // result keywords (StepModules; the modules themselves: ModuleCall.IN_ORDER)
              "failed_when",
              "until",
              "ignore_errors",
              // files (FileModuleLoader)
              "template",
              "copy"));
  private static final Pattern PERCENT = Pattern.compile("(\\d+)\\s*%");

  private final TemplateEngine templates = new TemplateEngine();
  private final StepModules modules = new StepModules();

  /**
   * The folder of the playbook being loaded: where a module's relative {@code src} is looked for.
   */
  private Path playbookDir = Path.of(".");

  /** Where roles are looked for after the playbook's own {@code roles/} (Ansible's roles_path). */
  private final List<Path> rolesPath;

  /** A loader that looks for roles in the playbook's own {@code roles/} only. */
  public PlaybookLoader() {
    this(List.of());
  }

  /**
   * A loader that looks for roles in the playbook's own {@code roles/}, then in these folders, in
   * order (Ansible's {@code roles_path}: {@code ansible.cfg} or {@code ANSIBLE_ROLES_PATH}).
   *
   * @param rolesPath the folders, in order
   */
  public PlaybookLoader(List<Path> rolesPath) {
    this(rolesPath, dev.orchestrator.common.Privilege.NONE);
  }

  /**
   * A loader with Ansible's {@code roles_path} and ansible-playbook's privilege escalation options
   * ({@code -b}, {@code --become-user}, {@code --become-method}): defaults of an Ansible play's
   * {@code become*} keywords, which a play (or task) that sets its own overrides, as Ansible's
   * command-line options rank below playbook keywords
   * (https://docs.ansible.com/ansible/latest/reference_appendices/general_precedence.html).
   *
   * @param rolesPath the folders, in order
   * @param privilege the options; a playbook in our own format refuses them ({@link #load})
   */
  public PlaybookLoader(List<Path> rolesPath, dev.orchestrator.common.Privilege privilege) {
    this.rolesPath = List.copyOf(rolesPath);
    this.privilege = java.util.Objects.requireNonNull(privilege, "privilege");
  }

  /** ansible-playbook's {@code -b}, {@code --become-user}, {@code --become-method}. */
  private final dev.orchestrator.common.Privilege privilege;

  /** The privilege escalation options an Ansible play's keywords default to. */
  dev.orchestrator.common.Privilege privilege() {
    return privilege;
  }

  /**
   * Loads a playbook.
   *
   * @param file the playbook file
   * @return the validated playbook
   * @throws InputException naming {@code file:line:column}, the key and a hint on any problem
   */
  public Playbook load(Path file) {
    YamlNode root = YamlDocument.load(file, "playbook");
    playbookDir =
        java.util.Objects.requireNonNullElse(file.toAbsolutePath().getParent(), Path.of("."));
    if (root.isSequence()) {
      return new AnsiblePlayList(this).read(file);
    }
    YamlMap top = root.asMap("the playbook").allowOnly(TOP_KEYS);
    if (privilege.given()) {
      throw new InputException(
          "-b/--become, --become-user and --become-method are defaults of Ansible plays' become"
              + " keywords, and "
              + file
              + " is a playbook in orchestrator's own format",
          "write 'become: true' (and 'become_user:') on the steps that need it, and run without"
              + " them");
    }
    return build(file, top, Play.OURS);
  }

  /**
   * Sets the folder relative to which the playbook being read names its files and roles: an
   * imported playbook's own ({@link AnsiblePlayList}).
   */
  void readingFrom(Path file) {
    playbookDir =
        java.util.Objects.requireNonNullElse(file.toAbsolutePath().getParent(), Path.of("."));
  }

  /**
   * What an Ansible play adds to a playbook read from it ({@link AnsiblePlays}): the steps before
   * its roles ({@code pre_tasks}), how its task files are read, and its {@code vars}, which Ansible
   * ranks above the inventory's (our own format's {@code vars:} rank below).
   *
   * @param beforeRoles the steps that run before the roles, or empty
   * @param tasks how task files (roles', included ones) are read
   * @param handlers how handler files are read
   * @param varsAbove the play's {@code vars}
   */
  record Play(
      Optional<YamlNode> beforeRoles,
      StepDialect tasks,
      StepDialect handlers,
      Map<String, Object> varsAbove) {
    /** Our own format. */
    static final Play OURS =
        new Play(Optional.empty(), StepDialect.OURS, StepDialect.OURS, Map.of());
  }

  /** Builds a playbook from its top-level mapping (ours, or one rewritten from an Ansible play). */
  Playbook build(Path file, YamlMap top, Play play) {
    String name =
        top.string("name").orElse(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
    Map<String, Object> vars = vars(top);
    String hosts = top.string("hosts").orElse("all");
    List<Stage> stages = stages(top, hosts);
    // roles, step files and vars_files (README "Roles and step files")
    Map<String, StepScope> scopes = new LinkedHashMap<>();
    StepFiles stepFiles =
        new StepFiles(
            n -> step(n, "steps", new LinkedHashMap<>(), Set.of()), scopes, true, play.tasks());
    Map<String, Object> nameVars = new LinkedHashMap<>(vars);
    nameVars.putAll(play.varsAbove());
    RoleLoader roles = new RoleLoader(file, stepFiles, nameVars, rolesPath);
    stepFiles.roleImports(roles::imported);
    List<Step> steps = new ArrayList<>();
    if (play.beforeRoles().isPresent()) {
      steps.addAll(stepList(top, play.beforeRoles().get(), "steps", Set.of(), stepFiles, nameVars));
    }
    top.get("roles").ifPresent(roles::load);
    steps.addAll(roles.steps());
    steps.addAll(steps(top, "steps", Set.of(), stepFiles, nameVars));
    IncludedSteps.checkUnique(steps, List.of());
    if (steps.isEmpty()) {
      throw new InputException(
          top.node().location(),
          "the playbook has no steps",
          "add a 'steps:' list with at least one '- id: ... shell: ...' entry, or 'roles:'");
    }
    Set<String> used = new java.util.HashSet<>();
    steps.forEach(s -> used.add(s.id()));
    List<Step> rollback =
        steps(
            top,
            "rollback",
            used,
            new StepFiles(n -> step(n, "rollback", new LinkedHashMap<>(), Set.of()), scopes, false),
            vars);
    IncludedSteps.checkUnique(rollback, steps);
    rollback.forEach(s -> used.add(s.id()));
    StepFiles handlerFiles =
        new StepFiles(
            n -> step(n, "handlers", new LinkedHashMap<>(), Set.of()),
            scopes,
            false,
            play.handlers());
    List<Step> handlers = new ArrayList<>(roles.handlers(handlerFiles));
    IncludedSteps.checkUnique(handlers, List.of());
    handlers.forEach(s -> used.add(s.id()));
    handlers.addAll(steps(top, "handlers", used, handlerFiles, vars));
    HandlerKeys.check(top, steps, rollback, handlers);
    List<Artifact> artifacts = artifacts(top);
    for (Step s : steps) {
      if (s.traits().upload().isPresent()
          && artifacts.stream()
              .noneMatch(a -> a.id().equals(s.traits().upload().get().artifact()))) {
        throw new InputException(
            s.location(),
            "step '"
                + s.id()
                + "' uploads artifact '"
                + s.traits().upload().get().artifact()
                + "', which 'artifacts' does not declare",
            "declare it under 'artifacts:' (id, url or update_server, sha256)");
      }
    }
    Optional<Playbook.Hops> hops = Optional.empty();
    if (top.get("hops").isPresent()) {
      YamlMap h = top.get("hops").get().asMap("hops").allowOnly(Set.of("var", "values"));
      String var = h.require("var").asString("var");
      if (!Step.IDENTIFIER.matcher(var).matches()) {
        throw h.require("var")
            .error("invalid variable name '" + var + "'", "use letters, digits and '_'");
      }
      YamlNode valuesNode = h.require("values");
      List<String> values = new ArrayList<>();
      for (YamlNode v :
          valuesNode.isSequence() ? valuesNode.asList("values") : List.of(valuesNode)) {
        String value = v.asString("values");
        checkTemplate(v, value, "hops", "values");
        values.add(value);
      }
      hops = Optional.of(new Playbook.Hops(var, values));
    }
    boolean rollbackOnFailure =
        top.get("rollback_on_failure").map(v -> v.asBoolean("rollback_on_failure")).orElse(false);
    if (rollbackOnFailure && rollback.isEmpty()) {
      throw top.entry("rollback_on_failure")
          .orElseThrow()
          .key()
          .error(
              "rollback_on_failure is true but the playbook has no 'rollback' steps",
              "add rollback steps, or remove rollback_on_failure");
    }
    List<String> secretVars = new ArrayList<>();
    for (YamlNode v : top.get("secret_vars").map(n -> n.asList("secret_vars")).orElse(List.of())) {
      secretVars.add(v.asString("secret_vars"));
    }
    VarsFilesList varsFiles =
        top.get("vars_files").map(n -> VarsFilesList.read(file, n)).orElse(VarsFilesList.NONE);
    return new Playbook(
        file,
        name,
        vars,
        stages,
        steps,
        rollback,
        artifacts,
        hops,
        rollbackOnFailure,
        secretVars,
        new Reuse(roles.roles(), varsFiles, scopes),
        handlers,
        FactsKeys.gatherFacts(
            top,
            file,
            java.util.stream.Stream.of(steps, rollback, handlers).flatMap(List::stream).toList(),
            roles.roles()),
        play.varsAbove());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> vars(YamlMap top) {
    Optional<YamlNode> node = top.get("vars");
    if (node.isEmpty()) {
      return Map.of();
    }
    node.get().asMap("vars");
    return (Map<String, Object>) node.get().toPlain("vars");
  }

  private List<Stage> stages(YamlMap top, String defaultHosts) {
    Optional<YamlNode> node = top.get("stages");
    if (node.isEmpty()) {
      return List.of(new Stage("all", defaultHosts, List.of(BatchSize.ALL), 0));
    }
    if (top.has("hosts")) {
      throw top.entry("hosts")
          .orElseThrow()
          .key()
          .error(
              "'hosts' at the top level and 'stages' are both given",
              "with stages, give each stage its own 'hosts:' pattern and remove the top-level one");
    }
    List<YamlNode> list = node.get().asList("stages");
    if (list.isEmpty()) {
      throw node.get().error("'stages' is empty", "add at least one stage, or remove 'stages:'");
    }
    List<Stage> out = new ArrayList<>();
    Map<String, YamlNode> seen = new HashMap<>();
    for (YamlNode n : list) {
      YamlMap m = n.asMap("a stage").allowOnly(STAGE_KEYS);
      String name = m.require("name").asString("name");
      if (seen.containsKey(name)) {
        throw m.require("name")
            .error(
                "duplicate stage name '"
                    + name
                    + "' (first at line "
                    + seen.get(name).location().line()
                    + ")",
                "give every stage a unique name");
      }
      seen.put(name, n);
      String hosts = m.require("hosts").asString("hosts");
      if (hosts.isBlank()) {
        throw m.require("hosts")
            .error(
                "stage '" + name + "' has an empty 'hosts' pattern",
                "write a group or host pattern, e.g. 'qa'");
      }
      List<BatchSize> serial =
          m.get("serial").map(PlaybookLoader::serial).orElse(List.of(BatchSize.ALL));
      int maxFail = 0;
      Optional<YamlNode> mf = m.get("max_fail_percentage");
      if (mf.isPresent()) {
        maxFail = percentage(mf.get(), "max_fail_percentage", 0);
      }
      boolean fatal =
          m.get("any_errors_fatal").map(v -> v.asBoolean("any_errors_fatal")).orElse(false);
      out.add(
          new Stage(
              name, hosts, serial, maxFail, fatal, gates(m, "gates"), gates(m, "batch_gates")));
    }
    return out;
  }

  private List<Artifact> artifacts(YamlMap top) {
    Optional<YamlNode> node = top.get("artifacts");
    if (node.isEmpty()) {
      return List.of();
    }
    List<Artifact> out = new ArrayList<>();
    for (YamlNode a : node.get().asList("artifacts")) {
      YamlMap m = a.asMap("an artifact").allowOnly(ARTIFACT_KEYS);
      String id = m.require("id").asString("id");
      if (!Step.ID.matcher(id).matches() || out.stream().anyMatch(x -> x.id().equals(id))) {
        throw m.require("id")
            .error(
                "invalid or duplicate artifact id '" + id + "'",
                "use a unique id of lower-case letters, digits, '-', '_' or '.'");
      }
      String where = "artifact '" + id + "'";
      String url = m.string("url").orElse("");
      checkTemplate(m.get("url").orElse(m.require("id")), url, where, "url");
      Optional<Artifact.UpdateServer> server = Optional.empty();
      if (m.get("update_server").isPresent()) {
        YamlMap us =
            m.get("update_server").get().asMap("update_server").allowOnly(UPDATE_SERVER_KEYS);
        server =
            Optional.of(
                new Artifact.UpdateServer(
                    us.string("url").orElse("https://updates.nextcloud.com/updater_server/"),
                    us.require("installed_version").asString("installed_version"),
                    us.string("channel").orElse("stable"),
                    us.string("php_version").orElse("8.2.0")));
      }
      if (url.isEmpty() && server.isEmpty()) {
        throw a.error(
            where + " has neither 'url' nor 'update_server'",
            "give a pinned url (with sha256), or the update_server to ask");
      }
      Optional<String> entry = Optional.empty();
      Optional<String> contains = Optional.empty();
      if (m.get("expect").isPresent()) {
        YamlMap e = m.get("expect").get().asMap("expect").allowOnly(Set.of("entry", "contains"));
        entry = Optional.of(e.require("entry").asString("entry"));
        contains = e.string("contains");
      }
      out.add(
          new Artifact(
              id,
              url,
              m.string("sha256"),
              m.string("sha256_url"),
              server,
              m.string("public_key"),
              entry,
              contains,
              a.location()));
    }
    return out;
  }

  private List<Gate> gates(YamlMap stage, String key) {
    Optional<YamlNode> node = stage.get(key);
    if (node.isEmpty()) {
      return List.of();
    }
    List<Gate> out = new ArrayList<>();
    for (YamlNode g : node.get().asList(key)) {
      YamlMap m = g.asMap("a gate");
      m.allowOnly(Set.of("approval", "wait", "health", "role", "distinct_from_starter"));
      List<YamlMap.Entry> kinds =
          m.entries().stream().filter(x -> GATE_KINDS.contains(x.name())).toList();
      if (kinds.size() != 1) {
        throw g.error(
            "a gate has exactly one of 'approval', 'wait' or 'health'",
            "write e.g. '- approval: QA looks good' or '- wait: 10m' as separate list items");
      }
      YamlMap.Entry e = kinds.get(0);
      if (!e.name().equals("approval")) {
        for (String k : List.of("role", "distinct_from_starter")) {
          if (m.get(k).isPresent()) {
            throw m.get(k)
                .get()
                .error(
                    "'" + k + "' applies to approval gates only",
                    "remove it, or make the gate '- approval: QUESTION'");
          }
        }
      }
      switch (e.name()) {
        case "approval" -> out.add(approval(m, e, g));
        case "wait" -> {
          String d = e.value().asString("wait");
          if (TemplateEngine.isTemplate(d)) {
            checkTemplate(e.value(), d, "wait gate", "wait");
          } else {
            duration(e.value(), "wait");
          }
          out.add(new Gate.Wait(d, g.location()));
        }
        default -> out.add(health(e.value()));
      }
    }
    return out;
  }

  private static final Set<String> GATE_KINDS = Set.of("approval", "wait", "health");

  private static Gate approval(YamlMap m, YamlMap.Entry e, YamlNode g) {
    Role role = Role.APPROVER;
    Optional<YamlNode> r = m.get("role");
    if (r.isPresent()) {
      String name = r.get().asString("role");
      role =
          Role.parse(name)
              .orElseThrow(
                  () ->
                      r.get()
                          .error(
                              "unknown role '" + name + "'",
                              "write one of: " + Role.names() + " (who may approve this gate)"));
      if (role == Role.VIEWER) {
        throw r.get()
            .error(
                "a viewer cannot approve",
                "write role: operator, approver or admin (who may approve this gate)");
      }
    }
    boolean distinct =
        m.get("distinct_from_starter").map(v -> v.asBoolean("distinct_from_starter")).orElse(false);
    return new Gate.Approval(
        e.value().isNull() ? "" : e.value().asString("approval"), role, distinct, g.location());
  }

  private Gate health(YamlNode node) {
    YamlMap m = node.asMap("health").allowOnly(HEALTH_KEYS);
    Optional<String> url = m.get("url").map(v -> notBlank(v, "health gate", "url"));
    Optional<String> shell = m.get("shell").map(v -> notBlank(v, "health gate", "shell"));
    if (url.isPresent() == shell.isPresent()) {
      throw node.error(
          "a health gate needs either 'url' or 'shell'",
          "write url: http://{{ inventory_hostname }}/status.php, or shell: a command that exits 0 when healthy");
    }
    url.ifPresent(u -> checkTemplate(m.get("url").get(), u, "health gate", "url"));
    shell.ifPresent(c -> checkShellTemplate(m.get("shell").get(), c, "health gate", "shell"));
    int status = m.get("status").map(v -> v.asInt("status")).orElse(200);
    if (status < 100 || status > 599) {
      throw m.get("status")
          .get()
          .error("'status' must be an HTTP status (100-599), found " + status, "e.g. status: 200");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> json =
        m.get("json")
            .map(
                v -> {
                  v.asMap("json");
                  return (Map<String, Object>) v.toPlain("json");
                })
            .orElse(Map.of());
    if (!json.isEmpty() && url.isEmpty()) {
      throw m.get("json")
          .get()
          .error(
              "'json' applies to 'url' checks",
              "for a shell check, test the output in the command itself");
    }
    Duration timeout =
        m.get("timeout").map(v -> duration(v, "timeout")).orElse(Duration.ofMinutes(5));
    Duration interval =
        m.get("interval").map(v -> duration(v, "interval")).orElse(Duration.ofSeconds(10));
    return new Gate.Health(url, shell, status, json, timeout, interval, node.location());
  }

  private static List<BatchSize> serial(YamlNode node) {
    List<YamlNode> values = node.isSequence() ? node.asList("serial") : List.of(node);
    if (values.isEmpty()) {
      throw node.error(
          "'serial' is an empty list",
          "write a number, a percentage such as \"25%\", or a list of them");
    }
    List<BatchSize> out = new ArrayList<>();
    for (YamlNode v : values) {
      if (v.isInt()) {
        int n = v.asInt("serial");
        if (n < 1) {
          throw v.error(
              "'serial' must be at least 1, got " + n,
              "use a positive host count or a percentage such as \"25%\"");
        }
        out.add(new BatchSize(n, false));
      } else {
        out.add(new BatchSize(percentage(v, "serial", 1), true));
      }
    }
    return out;
  }

  private static int percentage(YamlNode v, String what, int min) {
    String text = v.asString(what).trim();
    Matcher m = PERCENT.matcher(text);
    int value;
    if (m.matches()) {
      // more than 4 digits is out of range anyway; never overflows
      value = m.group(1).length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(m.group(1));
    } else if (v.isInt()) {
      value = v.asInt(what);
    } else {
      throw v.error(
          "'" + what + "' must be a number or a percentage such as \"25%\", found '" + text + "'",
          "write e.g. 25 or \"25%\"");
    }
    if (value < min || value > 100) {
      throw v.error(
          "'" + what + "' must be between " + min + "% and 100%, found " + text,
          "a percentage above 100% or below " + min + "% means nothing here");
    }
    return value;
  }

  /** Reads a step list; its {@code import_steps}/{@code include_steps} entries by {@code files}. */
  private List<Step> steps(
      YamlMap top,
      String key,
      Set<String> reservedIds,
      StepFiles files,
      Map<String, Object> playVars) {
    Optional<YamlNode> node = top.get(key);
    if (node.isEmpty()) {
      return List.of();
    }
    return stepList(top, node.get(), key, reservedIds, files, playVars);
  }

  /** Reads a list of steps of section {@code key} ({@link #steps}). */
  private List<Step> stepList(
      YamlMap top,
      YamlNode list,
      String key,
      Set<String> reservedIds,
      StepFiles files,
      Map<String, Object> playVars) {
    Optional<YamlNode> node = Optional.of(list);
    List<Step> out = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    StepFiles.Context context = StepFiles.Context.of(top.node().file(), playVars);
    for (YamlNode n : node.get().asList(key)) {
      if (HandlerKeys.isMeta(n)) {
        out.add(
            HandlerKeys.flushStep(
                n, key, 1 + (int) out.stream().filter(s -> s.extras().flushHandlers()).count()));
        continue;
      }
      if (StepFiles.isInclude(n) || BlockSteps.isBlock(n)) {
        out.addAll(files.expand(List.of(n), context));
      } else {
        Step s = step(n, key, seen, reservedIds);
        files.counted(s);
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Reads one step on its own, as a step list would read it ({@link AnsibleMigration} judges each
   * task of a tree with it): the checks of one step, without those about the whole playbook (unique
   * ids, notified handlers, artifacts).
   *
   * @param playbookDir the playbook's folder (where a relative {@code src} is looked for last)
   * @param n the step, in our format
   * @param handler whether it is a handler
   * @throws InputException on anything the step reader refuses, at its {@code file:line:column}
   */
  void checkStep(Path playbookDir, YamlNode n, boolean handler) {
    this.playbookDir = playbookDir;
    step(n, handler ? "handlers" : "steps", new LinkedHashMap<>(), Set.of());
  }

  /**
   * Reads one step. Its parts are checked in this order, so that of several mistakes the first one
   * reported stays the same: id, upload or shell, when, changed_when, creates, timeout, retries,
   * delay, register, become, environment, then the traits ({@link #traits}).
   */
  private Step step(
      YamlNode n, String section, Map<String, Integer> seen, Set<String> reservedIds) {
    String what =
        switch (section) {
          case "steps" -> "a step";
          case "handlers" -> "a handler";
          default -> "a rollback step";
        };
    YamlMap m = n.asMap(what).allowOnly(STEP_KEYS);
    String id = stepId(n, m, seen, reservedIds);
    String where = "step '" + id + "'";
    String name = m.string("name").orElse(id);
    Optional<FileModule> file = fileModule(n, m, what, where);
    Optional<ModuleCall> module = modules.module(m, where, playbookDir);
    Optional<StepTraits.Upload> upload =
        module.isPresent() || file.isPresent() ? Optional.empty() : upload(n, m, what, where);
    Optional<DelegationKeys.LocalAction> local = DelegationKeys.localAction(m, where);
    YamlNode shellNode =
        upload.isPresent() || module.isPresent() || file.isPresent()
            ? null
            : local.map(DelegationKeys.LocalAction::node).orElseGet(() -> m.require("shell"));
    String shell =
        shellNode == null
            ? ""
            : local.isPresent() ? local.get().shell() : notBlank(shellNode, where, "shell");
    checkShellTemplate(shellNode, shell, where, "shell");
    Optional<String> when = expression(m, "when", where, "write e.g. when: result.rc == 0");
    Optional<String> changedWhen =
        expression(
            m,
            "changed_when",
            where,
            "write e.g. changed_when: \"'updated' in result.stdout\" (with register: result), or false");
    Optional<String> creates = m.get("creates").map(c -> notBlank(c, where, "creates"));
    creates.ifPresent(c -> checkTemplate(m.get("creates").get(), c, where, "creates"));
    Optional<Duration> timeout = m.get("timeout").map(v -> duration(v, "timeout"));
    int retries = m.has("until") && !m.has("retries") ? 3 : retries(m); // Ansible's default
    Duration delay = m.get("delay").map(v -> duration(v, "delay")).orElse(Duration.ofSeconds(5));
    Optional<String> register = register(m);
    boolean become = m.get("become").map(v -> v.asBoolean("become")).orElse(false);
    String becomeUser = m.string("become_user").orElse("root");
    Map<String, String> env = environment(m, where);
    StepTraits traits = traits(m, where, shell, upload, register, changedWhen);
    StepExtras facts = FactsKeys.extras(m, where, templates);
    StepExtras extras =
        HandlerKeys.extras(m, section, traits.deferred())
            .withLoop(new LoopLoader(templates).read(m, where))
            .withFacts(facts.fact(), facts.become());
    return new Step(
        id,
        name,
        shell,
        when,
        creates,
        timeout,
        retries,
        delay,
        register,
        become,
        becomeUser,
        env,
        traits,
        DelegationKeys.read(
            m,
            where,
            modules.results(m, where, module, file.map(extras::withFile).orElse(extras)),
            templates),
        n.location());
  }

  /**
   * The keys that say what a step does: exactly one of them per step. {@code shell} and {@code
   * upload}, then the modules (issue 24), each parsed by its own reader.
   */
  static final List<String> ACTION_KEYS =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of("local_action", "shell", "upload", "template", "copy"),
              ModuleCall.IN_ORDER.stream().filter(x -> !x.equals("shell")))
          .toList();

  /** The step keys with every module's name ({@link ModuleCall#IN_ORDER}). */
  private static Set<String> withModules(Set<String> keys) {
    Set<String> all = new java.util.HashSet<>(keys);
    all.addAll(ModuleCall.IN_ORDER);
    return Set.copyOf(all);
  }

  /**
   * Checks that a step has exactly one of {@link #ACTION_KEYS}, and reads its {@code template:} or
   * {@code copy:} module if it is one.
   */
  private Optional<FileModule> fileModule(YamlNode n, YamlMap m, String what, String where) {
    List<String> actions = ACTION_KEYS.stream().filter(m::has).toList();
    if (actions.isEmpty()) {
      throw n.error(
          "missing required key 'shell' in " + what,
          "add 'shell:' with the command to run (or 'upload:' to send an artifact, or one of the"
              + " modules: "
              + String.join(", ", ACTION_KEYS.subList(3, ACTION_KEYS.size()))
              + ")");
    }
    if (actions.size() > 1) {
      throw m.entry(actions.get(1))
          .orElseThrow()
          .key()
          .error(
              where + " has both '" + actions.get(0) + "' and '" + actions.get(1) + "'",
              "a step does one thing (" + String.join(", ", ACTION_KEYS) + "); split it in two");
    }
    for (FileModule.Kind kind : FileModule.Kind.values()) {
      if (actions.get(0).equals(kind.key())) {
        return Optional.of(new FileModuleLoader(templates).read(m, kind, where, playbookDir));
      }
    }
    return Optional.empty();
  }

  /** Reads a step's id, unique across 'steps' and 'rollback' ({@code seen} records where). */
  private static String stepId(
      YamlNode n, YamlMap m, Map<String, Integer> seen, Set<String> reservedIds) {
    YamlNode idNode = m.require("id");
    String id = idNode.asString("id");
    if (!Step.ID.matcher(id).matches()) {
      throw idNode.error(
          "invalid step id '" + id + "'",
          "a step id is 1-64 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit; it is the checkpoint key, so keep it stable");
    }
    if (seen.containsKey(id) || reservedIds.contains(id)) {
      throw idNode.error(
          "duplicate step id '"
              + id
              + "'"
              + (seen.containsKey(id)
                  ? " (first at line " + seen.get(id) + ")"
                  : " (already used in 'steps')"),
          "step ids are checkpoint keys and must be unique across 'steps' and 'rollback'");
    }
    seen.put(id, n.location().line());
    return id;
  }

  /** Reads a step's 'upload', empty for a step that runs 'shell' (one of the two is required). */
  private Optional<StepTraits.Upload> upload(YamlNode n, YamlMap m, String what, String where) {
    if (m.has("upload")) {
      if (m.has("shell")) {
        throw m.entry("upload")
            .orElseThrow()
            .key()
            .error(
                where + " has both 'shell' and 'upload'",
                "a step either runs a command or uploads an artifact; split it in two");
      }
      YamlMap u = m.require("upload").asMap("upload").allowOnly(Set.of("artifact", "dest"));
      String dest = notBlank(u.require("dest"), where, "upload.dest");
      checkTemplate(u.require("dest"), dest, where, "upload.dest");
      return Optional.of(new StepTraits.Upload(u.require("artifact").asString("artifact"), dest));
    }
    return Optional.empty(); // a step without 'upload' has another action key (fileModule)
  }

  /**
   * Reads a condition ('when', 'changed_when'): one expression, bare or in {@code {{ }}}, checked
   * as a template, or a list of them that must all hold ({@link Conditions}).
   */
  private Optional<String> expression(YamlMap m, String key, String where, String example) {
    if (m.get(key).isEmpty()) {
      return Optional.empty();
    }
    return Conditions.read(
        m.get(key).get(),
        key,
        v -> {
          if (!v.isScalar() || v.isNull()) {
            throw v.error(
                "'" + key + "' must be an expression or a list of expressions (all must hold)",
                example);
          }
          String w = v.asString(key);
          checkTemplate(v, TemplateEngine.isTemplate(w) ? w : "{{ (" + w + ") }}", where, key);
          return w;
        });
  }

  /** Reads a step's 'retries': 0 to {@link Step#MAX_RETRIES}, 0 when absent. */
  private static int retries(YamlMap m) {
    int retries = m.get("retries").map(v -> v.asInt("retries")).orElse(0);
    if (retries < 0 || retries > Step.MAX_RETRIES) {
      throw m.get("retries")
          .get()
          .error(
              "'retries' must be 0 to " + Step.MAX_RETRIES + ", found " + retries,
              "write the number of extra attempts after a failure (with 'delay' between them)");
    }
    return retries;
  }

  /** Reads a step's 'register': a variable name. */
  private static Optional<String> register(YamlMap m) {
    Optional<String> register = m.string("register");
    if (register.isPresent() && !Step.IDENTIFIER.matcher(register.get()).matches()) {
      throw m.get("register")
          .get()
          .error(
              "invalid register name '" + register.get() + "'",
              "use a variable name: letters, digits and '_', not starting with a digit");
    }
    return register;
  }

  /** Reads a step's 'environment': names of shell variables, values templates, none null. */
  private Map<String, String> environment(YamlMap m, String where) {
    Map<String, String> env = new LinkedHashMap<>();
    Optional<YamlNode> envNode = m.get("environment");
    if (envNode.isPresent()) {
      for (YamlMap.Entry e : envNode.get().asMap("environment").entries()) {
        if (!Step.IDENTIFIER.matcher(e.name()).matches()) {
          throw e.key()
              .error(
                  "invalid environment variable name '" + e.name() + "'",
                  "use letters, digits and '_'");
        }
        if (e.name().startsWith(dev.orchestrator.template.ShellTemplate.PREFIX)) {
          // they would replace the values the command's {{ }} refer to
          throw e.key()
              .error(
                  "environment variable names starting with "
                      + dev.orchestrator.template.ShellTemplate.PREFIX
                      + " are reserved for template values",
                  "rename it");
        }
        if (e.value().isNull()) {
          throw e.value()
              .error(
                  where + ": environment variable '" + e.name() + "' has no value (null)",
                  "write "
                      + e.name()
                      + ": \"\" for an empty value, or remove it (a null would unset nothing"
                      + " and blank out a "
                      + e.name()
                      + " the host needs)");
        }
        String value = e.value().asString(e.name());
        checkTemplate(e.value(), value, where, "environment." + e.name());
        env.put(e.name(), value);
      }
    }
    return env;
  }

  /**
   * Reads a step's traits, in this order: tags, deferred, expensive, rollback_from, check (true:
   * the step's own {@code shell}), idempotent, detached; a deferred step registers nothing, an
   * upload is never detached.
   */
  private StepTraits traits(
      YamlMap m,
      String where,
      String shell,
      Optional<StepTraits.Upload> upload,
      Optional<String> register,
      Optional<String> changedWhen) {
    List<String> tags = new ArrayList<>();
    Optional<YamlNode> tagNode = m.get("tags");
    if (tagNode.isPresent()) {
      List<YamlNode> items =
          tagNode.get().isSequence() ? tagNode.get().asList("tags") : List.of(tagNode.get());
      for (YamlNode t : items) {
        tags.add(t.asString("tags"));
      }
    }
    boolean deferred = m.get("deferred").map(v -> v.asBoolean("deferred")).orElse(false);
    boolean expensive = m.get("expensive").map(v -> v.asBoolean("expensive")).orElse(false);
    boolean rollbackFrom =
        m.get("rollback_from").map(v -> v.asBoolean("rollback_from")).orElse(false);
    Optional<String> check = Optional.empty();
    Optional<YamlNode> checkNode = m.get("check");
    if (checkNode.isPresent()) {
      YamlNode c = checkNode.get();
      if (c.isBoolean()) {
        check = c.asBoolean("check") ? Optional.of(shell) : Optional.empty();
      } else {
        check = Optional.of(notBlank(c, where, "check"));
        checkShellTemplate(c, check.get(), where, "check");
      }
    }
    if (deferred && register.isPresent()) {
      throw m.get("deferred")
          .get()
          .error(
              where + " is deferred and registers '" + register.get() + "'",
              "a deferred step runs after the pipeline, so no step can use its result; remove 'register' or 'deferred'");
    }
    boolean idempotent = m.get("idempotent").map(v -> v.asBoolean("idempotent")).orElse(false);
    boolean detached = m.get("detached").map(v -> v.asBoolean("detached")).orElse(false);
    if (detached && upload.isPresent()) {
      throw m.entry("detached")
          .orElseThrow()
          .key()
          .error(where + " is an upload and cannot be detached", "remove 'detached'");
    }
    return new StepTraits(
        tags, deferred, expensive, rollbackFrom, check, upload, idempotent, detached, changedWhen);
  }

  /**
   * Returns a string that must say something: an empty or white-space-only command, path or URL
   * would run nothing (or everything) while looking like a step.
   *
   * @throws InputException at the value
   */
  private static String notBlank(YamlNode v, String where, String field) {
    String text = v.asString(field);
    if (text.isBlank()) {
      throw v.error(
          where + ": '" + field + "' is empty",
          "write the "
              + (field.contains("shell") || field.equals("check") ? "command" : "value")
              + ", or remove '"
              + field
              + "'");
    }
    return text;
  }

  private static Duration duration(YamlNode v, String what) {
    try {
      Duration d = Durations.parse(v.asString(what));
      if (d.isZero() && what.equals("timeout")) {
        throw new IllegalArgumentException("a timeout of 0 would fail every attempt");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw v.error(
          "invalid '" + what + "': " + e.getMessage(), "write e.g. 30 (seconds), 30s, 10m or 2h");
    }
  }

  /**
   * Checks a shell command's template now: its syntax, and that no value would be parsed again as
   * shell code (a {@code {{ }}} inside {@code sh -c '...'}, {@code su -c}, {@code eval}, ...; see
   * {@link TemplateEngine#checkShell}).
   */
  private void checkShellTemplate(YamlNode node, String template, String where, String field) {
    checkTemplate(node, template, where, field);
    try {
      templates.checkShell(template);
    } catch (TemplateException e) {
      throw node.error(
          where + ", '" + field + "': " + e.getMessage(),
          e.hint().orElse("fix the {{ }} / {% %} syntax"));
    }
  }

  /** Checks template syntax now, so that a typo is reported before anything runs. */
  private void checkTemplate(YamlNode node, String template, String where, String field) {
    if (!TemplateEngine.isTemplate(template)) {
      return;
    }
    try {
      templates.render(template, Map.of());
    } catch (TemplateException e) {
      if (e.undefinedVariable().isEmpty()) {
        throw node.error(
            where + ", '" + field + "': " + e.getMessage(),
            e.hint().orElse("fix the {{ }} / {% %} syntax"));
      }
    }
  }
}
