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
