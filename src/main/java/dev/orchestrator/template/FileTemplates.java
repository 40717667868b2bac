package dev.orchestrator.template;

import java.util.Map;
import java.util.Set;

/**
 * Renders files as Ansible's <a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/template_module.html">template
 * module</a> does: Jinja's {@code trim_blocks} true (the newline after a block tag is removed),
 * {@code lstrip_blocks} false, the trailing newline kept; otherwise as {@link
 * TemplateEngine#render} (strict undefined, bounds, secrets masked in errors). The result is a
 * file's content: it never reaches a shell, so it does not go through {@link ShellTemplate}.
 */
public final class FileTemplates {
  private FileTemplates() {}

  /**
   * The text Ansible's default {@code ansible_managed} renders to: ansible-core 2.14's {@code
   * DEFAULT_MANAGED_STR} ({@code config/base.yml}), which has no format or time codes.
   */
  public static final String ANSIBLE_MANAGED = "Ansible managed";

  /**
   * The host's vars plus the variables Ansible's template module adds for the file it renders
   * (ansible-core 2.14 {@code template/__init__.py} {@code generate_ansible_template_vars}, used by
   * {@code plugins/action/template.py}, where they win over vars of the same names): {@code
   * ansible_managed} ({@value #ANSIBLE_MANAGED}), {@code template_path} (the source as found),
   * {@code template_fullpath} (its absolute path), {@code template_destpath} (the rendered {@code
   * dest}), {@code template_host} (the controller's host name) and {@code template_uid} (the
   * controller's user). {@code template_mtime} and {@code template_run_date} (Python datetimes) are
   * not set.
   *
   * @param vars the host's vars (not changed)
   * @param source the template's source file on the controller
   * @param dest the rendered destination on the host
   * @return a new map
   */
  public static Map<String, Object> withTemplateVars(
      Map<String, Object> vars, java.nio.file.Path source, String dest) {
    Map<String, Object> all = new java.util.HashMap<>(vars);
    all.put("ansible_managed", ANSIBLE_MANAGED);
    all.put("template_path", source.toString());
    all.put("template_fullpath", source.toAbsolutePath().normalize().toString());
    all.put("template_destpath", dest);
    all.put("template_host", ControllerName.HOST);
    all.put("template_uid", System.getProperty("user.name", ""));
    return all;
  }

  /** The controller's host name, read once. */
  private static final class ControllerName {
    static final String HOST = read();

    private static String read() {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        return "localhost";
      }
    }
  }

  /** One engine per set of secret names (a run has one): building one costs milliseconds. */
  private static final Map<Set<String>, TemplateEngine> ENGINES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Renders a file's text.
   *
   * @param secretNames the variables declared secret, masked in errors as {@link
   *     TemplateEngine#TemplateEngine(Set)} masks them
   * @throws TemplateException on an undefined variable or a syntax error
   */
  public static String render(String template, Map<String, Object> vars, Set<String> secretNames) {
    if (ENGINES.size() > 64) {
      ENGINES.clear(); // never more than a few sets in one process; a bound all the same
    }
    return ENGINES
        .computeIfAbsent(
            Set.copyOf(secretNames), names -> new TemplateEngine(names, System::nanoTime, true))
        .render(template, vars);
  }
}
