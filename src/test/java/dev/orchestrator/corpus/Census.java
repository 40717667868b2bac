package dev.orchestrator.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What the Ansible playbook corpus ({@code src/test/resources/corpus/}) uses: for each playbook
 * (the entry points its folder's {@code SOURCE.md} names), its plays, the play and task keywords,
 * the modules as written and their FQCN, the lookups, filters and tests in its expressions, and its
 * {@code include_*}/{@code import_*}; then one count table per kind, by frequency. It writes {@code
 * CENSUS.md}, which the play reader's work is ordered by; {@code CensusTest} fails when the file is
 * stale.
 *
 * <p>It reads the files as Ansible would find them, without running anything: a play's roles
 * ({@code roles:}, {@code include_role}/{@code import_role}, {@code meta/main.yml} dependencies) in
 * {@code roles/} next to the playbook or at the tree's root (the {@code roles_path = ./roles} of
 * the corpus's {@code ansible.cfg}), task files of {@code import_tasks}/{@code include_tasks}/
 * {@code include} relative to the including file, the role's {@code tasks/} or the playbook
 * (Ansible's search path, docs.ansible.com "Search paths in Ansible"), the templates a {@code
 * template} task names, and every template a role ships (its tasks often name them through a
 * variable). Each file is counted once per playbook. A task's module is its one key that is not a
 * task keyword ({@code ansible/parsing/mod_args.py}: the same rule); expressions are the {@code {{
 * }}}/{@code {% %}} of every string (of plays, tasks, {@code vars_files}, the {@code
 * group_vars}/{@code host_vars} next to the playbook, roles' {@code defaults} and {@code vars}),
 * and the whole of {@code when}, {@code changed_when}, {@code failed_when}, {@code until} and
 * {@code assert}'s {@code that}; filters, tests and lookups are found in them by pattern (a name
 * after {@code |}, after {@code is}/{@code is not}, inside {@code lookup('...')}). Names built by
 * templating ({@code "{{ x }}.yml"}) are listed as written, not followed.
 *
 * <p>Run {@code mvn -o -q test -Dtest=CensusTest -Dcensus.write=true} to regenerate the file.
 */
public final class Census {
  /** Where the corpus lives, from the project's root. */
  public static final Path CORPUS = Path.of("src", "test", "resources", "corpus");

  /** Task keywords of ansible-core 2.14 (Task, Block, Base, Conditional, Taggable, ...). */
  static final Set<String> TASK_KEYWORDS =
      Set.of(
          "name",
          "action",
          "local_action",
          "args",
          "async",
          "poll",
          "become",
          "become_exe",
          "become_flags",
          "become_method",
          "become_user",
          "changed_when",
          "check_mode",
          "collections",
          "connection",
          "debugger",
          "delay",
          "delegate_facts",
          "delegate_to",
          "diff",
          "environment",
          "failed_when",
          "ignore_errors",
          "ignore_unreachable",
          "loop",
          "loop_control",
          "module_defaults",
          "no_log",
          "notify",
          "port",
          "register",
          "remote_user",
          "retries",
          "run_once",
          "tags",
          "throttle",
          "timeout",
          "until",
          "vars",
          "when",
          "block",
          "rescue",
          "always",
          "listen",
          "any_errors_fatal",
          "sudo",
          "sudo_user");

  /** The modules and actions ansible-core 2.14 ships ({@code ansible/modules/}). */
  static final Set<String> BUILTIN =
      Set.of(
          "add_host",
          "apt",
          "apt_key",
          "apt_repository",
          "assemble",
          "assert",
          "async_status",
          "blockinfile",
          "command",
          "copy",
          "cron",
          "debconf",
          "debug",
          "dnf",
          "dpkg_selections",
          "expect",
          "fail",
          "fetch",
          "file",
          "find",
          "gather_facts",
          "get_url",
          "getent",
          "git",
          "group",
          "group_by",
          "hostname",
          "import_playbook",
          "import_role",
          "import_tasks",
          "include",
          "include_role",
          "include_tasks",
          "include_vars",
          "iptables",
          "known_hosts",
          "lineinfile",
          "meta",
          "package",
          "package_facts",
          "pause",
          "ping",
          "pip",
          "raw",
          "reboot",
          "replace",
          "rpm_key",
          "script",
          "service",
          "service_facts",
          "set_fact",
          "set_stats",
          "setup",
          "shell",
          "slurp",
          "stat",
          "subversion",
          "systemd",
          "systemd_service",
          "sysvinit",
          "tempfile",
          "template",
          "unarchive",
          "uri",
          "user",
          "validate_argument_spec",
          "wait_for",
          "wait_for_connection",
          "yum",
          "yum_repository");

  /**
   * Short names outside ansible-core that the corpus uses, and where ansible-core 2.14 routes them
   * ({@code ansible/config/ansible_builtin_runtime.yml}, {@code plugin_routing.modules}).
   */
  static final Map<String, String> REDIRECTS =
      Map.ofEntries(
          Map.entry("npm", "community.general.npm"),
          Map.entry("apache2_module", "community.general.apache2_module"),
          Map.entry("composer", "community.general.composer"),
          Map.entry("jboss", "community.general.jboss"),
          Map.entry("haproxy", "community.general.haproxy"),
          Map.entry("seport", "community.general.seport"),
          Map.entry("selinux", "ansible.posix.selinux"),
          Map.entry("seboolean", "ansible.posix.seboolean"),
          Map.entry("firewalld", "ansible.posix.firewalld"),
          Map.entry("ufw", "community.general.ufw"),
          Map.entry("mysql_db", "community.mysql.mysql_db"),
          Map.entry("mysql_user", "community.mysql.mysql_user"),
          Map.entry("mongodb_user", "community.mongodb.mongodb_user"),
          Map.entry("nagios", "community.general.nagios"),
          Map.entry("docker_image", "community.docker.docker_image"),
          Map.entry("docker_container", "community.docker.docker_container"));

  private static final Set<String> EXPRESSION_KEYS =
      Set.of("when", "changed_when", "failed_when", "until", "that");
  private static final Set<String> INCLUDES =
      Set.of(
          "include",
          "include_tasks",
          "import_tasks",
          "include_role",
          "import_role",
          "import_playbook",
          "include_vars");
  private static final Pattern JINJA = Pattern.compile("\\{\\{(.*?)}}|\\{%(.*?)%}", Pattern.DOTALL);
  private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_][\\w.]*)");
  private static final Pattern TEST = Pattern.compile("\\bis\\s+(?:not\\s+)?([A-Za-z_][\\w.]*)");
  private static final Pattern LOOKUP =
      Pattern.compile("\\b(?:lookup|query|q)\\s*\\(\\s*['\"]([\\w.]+)['\"]");

  /** The kinds of things counted, in the census's order. */
  enum Kind {
    PLAY_KEYWORD("Play keywords"),
    TASK_KEYWORD("Task keywords"),
    MODULE("Modules (as written → FQCN)"),
    LOOKUP("Lookups (`lookup`/`query`, and `with_<lookup>` loops)"),
    FILTER("Filters"),
    TEST("Tests"),
    INCLUDE("include_* / import_* (as written)"),
    TEMPLATE_FILTER("Filters in templates"),
    TEMPLATE_TEST("Tests in templates");

    final String title;

    Kind(String title) {
      this.title = title;
    }
  }

  /**
   * What one playbook uses.
   *
   * @param tree the corpus folder
   * @param path the playbook, relative to the folder
   * @param plays each play's name and {@code hosts} ({@code import_playbook} entries as such)
   * @param hostPatterns the {@code hosts} of its plays and of the playbooks it imports
   * @param counts per kind, each name and how often it occurs
   * @param files the files read, relative to the folder
   * @param problems what could not be read or followed
   */
  public record Playbook(
      String tree,
      String path,
      List<String> plays,
      Set<String> hostPatterns,
      Map<Kind, Map<String, Integer>> counts,
      Set<String> files,
      List<String> problems) {
    /** The playbook's name in the census: folder and path. */
    public String id() {
      return tree + "/" + path;
    }
  }

  private Census() {}

  /** The playbooks of the corpus, in folder order then as each {@code SOURCE.md} lists them. */
  public static List<Playbook> read(Path corpus) {
    List<Playbook> all = new ArrayList<>();
    for (Path tree : trees(corpus)) {
      for (String path : entryPoints(tree)) {
        all.add(new Walk(tree, tree.resolve(path)).playbook(path));
      }
    }
    return all;
  }

  /** The corpus's folders (those with a {@code SOURCE.md}), sorted by name. */
  static List<Path> trees(Path corpus) {
    try (Stream<Path> s = Files.list(corpus)) {
      return s.filter(p -> Files.isRegularFile(p.resolve("SOURCE.md"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The playbooks a folder's {@code SOURCE.md} names on its "Playbooks (entry points):" line. */
  static List<String> entryPoints(Path tree) {
    try {
      for (String line : Files.readAllLines(tree.resolve("SOURCE.md"))) {
        if (line.startsWith("Playbooks (entry points):")) {
          List<String> out = new ArrayList<>();
          Matcher m = Pattern.compile("`([^`]+)`").matcher(line);
          while (m.find()) {
            out.add(m.group(1));
          }
          return out;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(tree + "/SOURCE.md names no playbook");
  }

  /** The FQCN Ansible 2.14 resolves a module name to, or a note when it is not known here. */
  static String fqcn(String module) {
    if (module.contains(".")) {
      return module;
    }
    if (BUILTIN.contains(module)) {
      return "ansible.builtin." + module;
    }
    return REDIRECTS.getOrDefault(module, "? (not in ansible-core; add to Census.REDIRECTS)");
  }

  /** Loads a YAML file as PyYAML would for this purpose (duplicate keys: the last wins). */
  static Object loadYaml(Path file) throws IOException {
    LoadSettings settings = LoadSettings.builder().setAllowDuplicateKeys(true).build();
    return new Load(settings).loadFromString(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Renders the census as Markdown. */
  public static String markdown(List<Playbook> playbooks) {
    return CensusMarkdown.render(playbooks);
  }

  /** Regenerates {@code CENSUS.md} from the project's root. */
  public static void main(String[] args) throws IOException {
    Files.writeString(CORPUS.resolve("CENSUS.md"), markdown(read(CORPUS)));
  }

  /** One playbook's walk through its files. */
  private static final class Walk {
    private final Path tree;
    private final Path playbook;
    private final Map<Kind, Map<String, Integer>> counts = new LinkedHashMap<>();
    private final Set<String> files = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> plays = new ArrayList<>();
    private final Set<String> hosts = new LinkedHashSet<>();

    Walk(Path tree, Path playbook) {
      this.tree = tree;
      this.playbook = playbook;
      for (Kind k : Kind.values()) {
        counts.put(k, new TreeMap<>());
      }
    }

    Playbook playbook(String path) {
      Object doc = read(playbook);
      if (doc instanceof List<?> list) {
        for (Object play : list) {
          if (play instanceof Map<?, ?> m) {
            play(m);
          } else {
            problems.add(path + ": a play that is not a mapping");
          }
        }
      } else if (doc != null) {
        problems.add(path + ": not a list of plays");
      }
      hostsOfImports(playbook, new TreeSet<>());
      return new Playbook(
          tree.getFileName().toString(), path, plays, hosts, counts, files, problems);
    }

    private void hostsOfImports(Path file, Set<Path> seen) {
      if (!seen.add(file.normalize())) {
        return;
      }
      Object doc = quietly(file);
      if (!(doc instanceof List<?> list)) {
        return;
      }
      for (Object o : list) {
        if (o instanceof Map<?, ?> play) {
          if (play.get("hosts") != null) {
            hosts.add(String.valueOf(play.get("hosts")));
          }
          Object imported = importOf(play);
          if (imported instanceof String s && !s.contains("{{")) {
            hostsOfImports(file.getParent().resolve(s), seen);
          }
        }
      }
    }

    private static Object importOf(Map<?, ?> play) {
      Object v = play.get("import_playbook");
      return v != null ? v : play.get("ansible.builtin.import_playbook");
    }

    private void play(Map<?, ?> play) {
      for (Object key : play.keySet()) {
        count(Kind.PLAY_KEYWORD, String.valueOf(key));
      }
      Object imported = importOf(play);
      if (imported != null) {
        String key =
            play.containsKey("import_playbook")
                ? "import_playbook"
                : "ansible.builtin.import_playbook";
        count(Kind.INCLUDE, key);
        plays.add("import_playbook: " + imported);
        return;
      }
      plays.add(
          (play.get("name") == null ? "(unnamed)" : "\"" + play.get("name") + "\"")
              + " hosts: "
              + play.get("hosts"));
      expressions(play, Set.of("tasks", "pre_tasks", "post_tasks", "handlers", "roles"));
      Path dir = playbook.getParent();
      for (Object varsFile : asList(play.get("vars_files"))) {
        if (varsFile instanceof String name && !name.contains("{{")) {
          variables(find(name, dir, null));
        }
      }
      for (String vars : List.of("group_vars", "host_vars")) {
        variables(dir.resolve(vars));
      }
      for (String section : List.of("pre_tasks", "roles", "tasks", "post_tasks", "handlers")) {
        Object v = play.get(section);
        if (v == null) {
          continue;
        }
        if (section.equals("roles")) {
          for (Object r : asList(v)) {
            Object name = roleName(r);
            if (r instanceof Map<?, ?> m) {
              expressions(m, Set.of());
            }
            role(String.valueOf(name));
          }
        } else {
          tasks(v, dir, null);
        }
      }
    }

    private void tasks(Object list, Path dir, Path roleDir) {
      for (Object t : asList(list)) {
        if (t instanceof Map<?, ?> task) {
          task(task, dir, roleDir);
        }
      }
    }

    private void task(Map<?, ?> task, Path dir, Path roleDir) {
      String module = null;
      for (Object k : task.keySet()) {
        String key = String.valueOf(k);
        if (TASK_KEYWORDS.contains(key) || key.startsWith("with_")) {
          count(Kind.TASK_KEYWORD, key);
          if (key.startsWith("with_")) {
            count(Kind.LOOKUP, key.substring(5));
          }
        } else {
          module = key;
        }
      }
      Object args = module == null ? null : task.get(module);
      for (String indirect : List.of("action", "local_action")) {
        if (module == null && task.get(indirect) != null) {
          String v = String.valueOf(task.get(indirect)).strip();
          module = v.split("\\s+", 2)[0];
          args = v.contains(" ") ? v.substring(v.indexOf(' ') + 1) : null;
        }
      }
      expressions(task, Set.of("block", "rescue", "always"));
      for (String nested : List.of("block", "rescue", "always")) {
        if (task.get(nested) != null) {
          tasks(task.get(nested), dir, roleDir);
        }
      }
      if (module == null) {
        return;
      }
      count(Kind.MODULE, module + " → " + fqcn(module));
      String shortName = module.startsWith("ansible.builtin.") ? module.substring(16) : module;
      if (INCLUDES.contains(shortName)) {
        String target = staticArgument(args, shortName.endsWith("_role") ? "name" : "file");
        count(Kind.INCLUDE, module);
        if (target == null || target.contains("{{")) {
          return;
        }
        if (shortName.endsWith("_role")) {
          role(target);
        } else if (!shortName.equals("include_vars")) {
          Path file = find(target, dir, roleDir == null ? null : roleDir.resolve("tasks"));
          if (file != null && files.add(rel(file))) {
            tasks(read(file), file.getParent(), roleDir);
          }
        }
      } else if (shortName.equals("template")) {
        template(staticArgument(args, "src"), dir, roleDir);
      }
    }

    private void template(String src, Path dir, Path roleDir) {
      if (src == null || src.contains("{{")) {
        return;
      }
      // a role's templates/, else templates/ next to the task file or one folder up (a task file
      // of a role included by path), as Ansible's search path has them
      Path base = roleDir != null ? roleDir : dir;
      Path file =
          find(
              src,
              base.resolve("templates"),
              roleDir != null ? roleDir : dir.getParent().resolve("templates"));
      if (file == null || !files.add(rel(file))) {
        return;
      }
      try {
        expression(
            Files.readString(file, StandardCharsets.ISO_8859_1),
            Kind.TEMPLATE_FILTER,
            Kind.TEMPLATE_TEST);
      } catch (IOException e) {
        problems.add(rel(file) + ": " + e.getMessage());
      }
    }

    private void role(String name) {
      if (name.contains("{{")) {
        return;
      }
      Path dir = playbook.getParent();
      Path roleDir = null;
      for (Path candidate :
          List.of(
              dir.resolve("roles").resolve(name),
              tree.resolve("roles").resolve(name),
              dir.resolve(name))) {
        if (Files.isDirectory(candidate)) {
          roleDir = candidate;
          break;
        }
      }
      if (roleDir == null) {
        problems.add("role " + name + ": not in the corpus (a Galaxy role not collected)");
        return;
      }
      if (!files.add(rel(roleDir) + "/")) {
        return;
      }
      Object meta = quietly(roleDir.resolve("meta/main.yml"));
      if (meta instanceof Map<?, ?> m && m.get("dependencies") != null) {
        for (Object dep : asList(m.get("dependencies"))) {
          role(String.valueOf(roleName(dep)));
        }
      }
      for (String part : List.of("tasks", "handlers")) {
        Path main = roleDir.resolve(part).resolve("main.yml");
        if (Files.isRegularFile(main) && files.add(rel(main))) {
          tasks(read(main), main.getParent(), roleDir);
        }
      }
      for (String part : List.of("defaults", "vars")) {
        variables(roleDir.resolve(part).resolve("main.yml"));
      }
      // every template the role ships: its tasks often name them through a variable
      // (src: "{{ haproxy_template }}"), which is not followed
      Path templates = roleDir.resolve("templates");
      if (Files.isDirectory(templates)) {
        try (Stream<Path> s = Files.walk(templates)) {
          for (Path t : s.filter(Files::isRegularFile).sorted().toList()) {
            template(templates.relativize(t).toString(), roleDir.resolve("tasks"), roleDir);
          }
        } catch (IOException e) {
          problems.add(rel(templates) + ": " + e.getMessage());
        }
      }
    }

    /**
     * The expressions in a variables file, or in each file of a {@code group_vars}/{@code
     * host_vars} folder (Ansible reads those next to the playbook).
     */
    private void variables(Path path) {
      if (path == null) {
        return;
      }
      if (Files.isDirectory(path)) {
        try (Stream<Path> s = Files.list(path)) {
          s.filter(Files::isRegularFile).sorted().forEach(this::variables);
        } catch (IOException e) {
          problems.add(rel(path) + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(path) && !files.contains(rel(path))) {
        expressions(read(path), Set.of());
      }
    }

    private Path find(String name, Path first, Path second) {
      for (Path base : new Path[] {first, second, playbook.getParent()}) {
        if (base != null && Files.isRegularFile(base.resolve(name))) {
          return base.resolve(name).normalize();
        }
      }
      problems.add(name + ": not found");
      return null;
    }

    private static String staticArgument(Object args, String key) {
      if (args instanceof String s) {
        String text = s.strip();
        Matcher m = Pattern.compile("(?:^|\\s)" + key + "=(\\S+)").matcher(text);
        if (m.find()) {
          return m.group(1);
        }
        String first = text.split("\\s+", 2)[0];
        return first.contains("=") ? null : first;
      }
      if (args instanceof Map<?, ?> m && m.get(key) instanceof String s) {
        return s;
      }
      return null;
    }

    private void expressions(Object node, Set<String> skip) {
      if (node instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          String key = String.valueOf(e.getKey());
          if (skip.contains(key)) {
            continue;
          }
          if (EXPRESSION_KEYS.contains(key)) {
            for (Object v : asList(e.getValue())) {
              if (v instanceof String s) {
                expression(s.contains("{{") ? s : "{{" + s + "}}");
              }
            }
          } else {
            expressions(e.getValue(), Set.of());
          }
        }
      } else if (node instanceof List<?> l) {
        l.forEach(v -> expressions(v, Set.of()));
      } else if (node instanceof String s) {
        expression(s);
      }
    }

    private void expression(String text) {
      expression(text, Kind.FILTER, Kind.TEST);
    }

    private void expression(String text, Kind filters, Kind tests) {
      Matcher m = JINJA.matcher(text);
      while (m.find()) {
        String expr = m.group(1) != null ? m.group(1) : m.group(2);
        names(filters, FILTER, expr);
        names(tests, TEST, expr);
        names(Kind.LOOKUP, LOOKUP, expr);
      }
    }

    private void names(Kind kind, Pattern pattern, String expr) {
      Matcher m = pattern.matcher(expr.replaceAll("'[^']*'|\"[^\"]*\"", "''"));
      if (kind == Kind.LOOKUP) {
        m = pattern.matcher(expr);
      }
      while (m.find()) {
        count(kind, m.group(1));
      }
    }

    private void count(Kind kind, String name) {
      counts.get(kind).merge(name, 1, Integer::sum);
    }

    private Object read(Path file) {
      files.add(rel(file));
      try {
        return loadYaml(file);
      } catch (IOException | RuntimeException e) {
        problems.add(rel(file) + ": " + e.getMessage().lines().findFirst().orElse(""));
        return null;
      }
    }

    private static Object quietly(Path file) {
      try {
        return Files.isRegularFile(file) ? loadYaml(file) : null;
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    private String rel(Path file) {
      return tree.relativize(file.normalize()).toString();
    }

    private static Object roleName(Object entry) {
      if (entry instanceof Map<?, ?> m) {
        return m.get("role") != null ? m.get("role") : m.get("name");
      }
      return entry;
    }

    private static List<?> asList(Object v) {
      return v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
    }
  }

  /** Names sorted by count (highest first), then by name. */
  static List<Map.Entry<String, Integer>> byFrequency(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .sorted(
            Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .toList();
  }
}
