package dev.orchestrator.execute;

import dev.orchestrator.playbook.IncludedVars;
import dev.orchestrator.template.TemplateException;
import dev.orchestrator.transport.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code include_vars} on the controller (<a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/include_vars_module.html">include_vars</a>,
 * ansible-core 2.14 {@code plugins/action/include_vars.py}): the vars of the file read at load
 * ({@code _vars}), or of the file a templated name renders to for this host ({@link
 * IncludedVars#resolve}), returned under {@code ansible_facts} (under the one key {@code name} when
 * given) with {@code ansible_included_var_files}. The step's result gives them to the host's vars
 * for the steps after it and keeps them in its checkpoint, as {@code set_fact}'s. Only the names
 * are written to the log, never the values.
 */
final class IncludeVars {
  private IncludeVars() {}

  /**
   * The step's outcome, read now.
   *
   * @param args the arguments with the host's vars
   * @param raw the arguments as loaded
   * @throws TemplateException when the file's name cannot be rendered
   */
  @SuppressWarnings("unchecked")
  static ModuleOutcome outcome(ModuleArgs args, Map<String, Object> raw) {
    long start = System.nanoTime();
    Map<String, Object> vars;
    Path file;
    if (raw.get("_vars") instanceof Map<?, ?> loaded) {
      vars = (Map<String, Object>) loaded;
      file = Path.of(String.valueOf(raw.get("_source")));
    } else {
      String rendered = args.text("file").orElseThrow();
      try {
        Map.Entry<Path, Map<String, Object>> found = IncludedVars.resolve(raw, rendered);
        file = found.getKey();
        vars = found.getValue();
      } catch (IllegalArgumentException e) {
        String msg = e.getMessage();
        return new ModuleOutcome(
            new ExecResult(1, "", msg + "\n", elapsed(start), false), Map.of("msg", msg));
      }
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    if (raw.get("name") instanceof String name) {
      facts.put(name, vars);
    } else {
      facts.putAll(vars);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("ansible_facts", facts);
    fields.put("ansible_included_var_files", List.of(file.toString()));
    String out = "included " + file + ": " + String.join(", ", facts.keySet()) + "\n";
    return new ModuleOutcome(new ExecResult(0, out, "", elapsed(start), false), fields);
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
