package dev.orchestrator.playbook;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A step that calls one of Ansible's built-in modules instead of running {@code shell} or an {@code
 * upload}: its name and its arguments, as written (values may hold {@code {{ }}} templates,
 * rendered per host when the step runs). The arguments were validated by {@link StepModules} while
 * loading; the engine interprets them ({@code execute.ModuleRunner}).
 *
 * <p>Modules and their Ansible documentation (arguments and result keys as there):
 *
 * <ul>
 *   <li>{@code debug}, {@code set_fact}, {@code fail}, {@code assert}, {@code pause}: run on the
 *       controller, no command is sent to the host (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/debug_module.html">debug</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/set_fact_module.html">set_fact</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/fail_module.html">fail</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/assert_module.html">assert</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/pause_module.html">pause</a>);
 *   <li>{@code include_vars}: a YAML file of the controller read into the host's vars (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/include_vars_module.html">include_vars</a>);
 *   <li>{@code wait_for}, {@code uri}: run on the host, as a POSIX shell loop and with {@code curl}
 *       (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/wait_for_module.html">wait_for</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/uri_module.html">uri</a>);
 *   <li>{@code command}, {@code shell} in its mapping form ({@code shell: {cmd: ..., chdir: ...}};
 *       the text form is a shell step), {@code raw}, {@code ping}, {@code stat}: run on the host in
 *       POSIX {@code sh}, no Python needed (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/command_module.html">command</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/raw_module.html">raw</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/ping_module.html">ping</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/stat_module.html">stat</a>);
 *   <li>{@code service}, {@code systemd} (also named {@code systemd_service}): run on the host with
 *       {@code systemctl}, or {@code service} and the init script (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/service_module.html">service</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/systemd_service_module.html">systemd_service</a>);
 *   <li>{@code group}: runs {@code groupadd}/{@code groupmod}/{@code groupdel} on the host (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/group_module.html">group</a>);
 *   <li>{@code user}: runs {@code useradd}/{@code usermod}/{@code userdel} on the host, the
 *       password hash through {@code chpasswd -e}'s standard input (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/user_module.html">user</a>);
 *   <li>{@code setup}: gathers the facts {@code gather_facts} gathers, as a task (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/setup_module.html">setup</a>);
 *   <li>{@code cron}: the crontab read with {@code crontab -l} (or the cron file), edited on the
 *       controller and written back with {@code crontab -} when it changes (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/cron_module.html">cron</a>);
 *   <li>{@code haproxy}, {@code nagios}, {@code npm} (community.general) and {@code seboolean}
 *       (ansible.posix): HAProxy's stats socket, Nagios' command file, {@code npm} and {@code
 *       getsebool}/{@code setsebool} on the host (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/community/general/haproxy_module.html">haproxy</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/community/general/nagios_module.html">nagios</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/community/general/npm_module.html">npm</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/posix/seboolean_module.html">seboolean</a>).
 *   <li>{@code package}, {@code apt}, {@code yum}, {@code dnf}: run the host's {@code apt-get} or
 *       {@code dnf}/{@code yum} with {@code dpkg-query}/{@code rpm -q} (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/package_module.html">package</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/apt_module.html">apt</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/yum_module.html">yum</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/dnf_module.html">dnf</a>);
 *   <li>{@code git}: runs the host's {@code git} (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/git_module.html">git</a>);
 *   <li>{@code get_url}: downloads with the host's {@code curl} (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/get_url_module.html">get_url</a>);
 *   <li>{@code script}: the controller's file sent to the host and run there (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/script_module.html">script</a>);
 *   <li>{@code unarchive}: an archive unpacked with the host's {@code tar} or {@code unzip} (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/unarchive_module.html">unarchive</a>);
 *   <li>{@code lineinfile}, {@code blockinfile}, {@code replace}: the file is read to the
 *       controller, edited there and written back when it changes (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/lineinfile_module.html">lineinfile</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/blockinfile_module.html">blockinfile</a>,
 *       <a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/replace_module.html">replace</a>);
 *   <li>{@code file}: a POSIX {@code sh} script on the host (<a
 *       href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/file_module.html">file</a>).
 * </ul>
 *
 * @param name the module's short name, one of {@link #NAMES}
 * @param args the arguments: strings, numbers, booleans, lists and maps as YAML gave them
 */
public record ModuleCall(String name, Map<String, Object> args) {
  /**
   * The modules of collections (community.general's {@code haproxy}, {@code nagios}, {@code npm},
   * ansible.posix's {@code seboolean}), which change the host as they decide.
   */
  public static final Set<String> COLLECTED = Set.of("haproxy", "nagios", "npm", "seboolean");

  /** The modules a step may call. */
  public static final Set<String> NAMES;

  /**
   * The module names in the order the step reader lists them (its step keys and action keys are
   * derived from it: {@code PlaybookLoader}); {@link #NAMES} as a list.
   */
  public static final java.util.List<String> IN_ORDER =
      java.util.List.of(
          "debug",
          "set_fact",
          "include_vars",
          "fail",
          "assert",
          "pause",
          "wait_for",
          "uri",
          "command",
          "shell",
          "raw",
          "ping",
          "stat",
          "service",
          "systemd",
          "systemd_service",
          "group",
          "user",
          "cron",
          "setup",
          "haproxy",
          "nagios",
          "npm",
          "seboolean",
          "package",
          "apt",
          "yum",
          "dnf",
          "git",
          "get_url",
          "script",
          "unarchive",
          "lineinfile",
          "blockinfile",
          "replace",
          "file");

  static {
    NAMES = Set.copyOf(IN_ORDER);
    if (!NAMES.containsAll(COLLECTED)) {
      throw new IllegalStateException("a collected module missing from IN_ORDER");
    }
  }

  /**
   * The modules that change the host when they run ({@code changed: true} unless they say
   * otherwise): a step calling one notifies its handlers as a shell step does.
   */
  public static final Set<String> CHANGING = Set.of("command", "shell", "raw", "script");

  /** The modules that run on the controller and send nothing to the host. */
  public static final Set<String> ON_CONTROLLER =
      Set.of("debug", "set_fact", "include_vars", "fail", "assert", "pause");

  /**
   * The modules whose result's {@code ansible_facts} become the host's vars for the steps after
   * them, kept in the step's checkpoint so that a resume has them again: {@code set_fact} and
   * {@code include_vars}.
   */
  public static final Set<String> SETS_FACTS = Set.of("set_fact", "include_vars");

  /** Validates the fields. */
  public ModuleCall {
    Objects.requireNonNull(name, "name");
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown module '" + name + "'");
    }
    args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
  }

  /** Returns whether the module may report {@code changed: true} ({@link #CHANGING}). */
  public boolean mayChange() {
    return CHANGING.contains(name);
  }

  /** Returns whether the module runs on the controller (no command reaches the host). */
  public boolean onController() {
    return ON_CONTROLLER.contains(name);
  }

  /** Returns whether the module's facts become the host's vars ({@link #SETS_FACTS}). */
  public boolean setsFacts() {
    return SETS_FACTS.contains(name);
  }

  /** Returns what the call adds to its step's definition hash: name and sorted arguments. */
  public String canonical() {
    return name + "\u0000" + new TreeMap<>(args);
  }
}
