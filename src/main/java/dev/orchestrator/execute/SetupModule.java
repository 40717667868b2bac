package dev.orchestrator.execute;

import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Ansible's {@code setup} module as a task (<a
 * href="https://docs.ansible.com/ansible/latest/collections/ansible/builtin/setup_module.html">setup</a>):
 * gathers the facts a play's {@code gather_facts} gathers ({@link FactGatherer}, the same POSIX
 * {@code sh} script), keeps those whose {@code ansible_NAME} matches one of {@code filter}'s {@code
 * fnmatch} patterns (all when none), and returns them as the module does, under {@code
 * ansible_facts} with their {@code ansible_} prefix: the run then sets each as the host's variable
 * {@code ansible_NAME}, as Ansible injects facts. {@code gather_timeout} bounds the script. Never
 * {@code changed}.
 *
 * @param filters the {@code filter} patterns
 * @param timeout {@code gather_timeout}
 */
record SetupModule(List<String> filters, Duration timeout) {
  /** Copies the patterns. */
  SetupModule {
    filters = List.copyOf(filters);
  }

  /** Reads the rendered arguments, with the module's defaults ({@code gather_timeout} 10). */
  static SetupModule of(ModuleArgs args) {
    List<String> filters =
        args
            .rendered("filter")
            .map(
                v ->
                    v instanceof List<?> l
                        ? l.stream().map(ModuleArgs::asText).toList()
                        : List.of(ModuleArgs.asText(v).split(",", -1)))
            .orElse(List.of())
            .stream()
            .map(String::strip)
            .filter(f -> !f.isEmpty())
            .toList();
    return new SetupModule(
        filters, Duration.ofSeconds(Math.max(1, args.number("gather_timeout", 10))));
  }

  /** What the step's log starts with. */
  String description() {
    return "setup" + (filters.isEmpty() ? "" : " " + String.join(",", filters));
  }

  /** Python's {@code fnmatch.fnmatch} on a fact's name ({@code *}, {@code ?}, {@code [...]}). */
  static boolean matches(String pattern, String name) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[' && pattern.indexOf(']', i + 2) > 0) {
        int end = pattern.indexOf(']', i + 2);
        String set = pattern.substring(i + 1, end);
        re.append('[')
            .append(
                set.startsWith("!") ? "^" + Pattern.quote(set.substring(1)) : Pattern.quote(set))
            .append(']');
        i = end;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(name).matches();
  }

  /** The invocation: gather, filter, return. */
  ModuleOutcome run(Connection connection, StepAction.Attempt attempt) throws TransportException {
    long start = System.nanoTime();
    ExecResult r = connection.exec(FactGatherer.SCRIPT, Optional.of(timeout));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Map<String, Object> fields = new LinkedHashMap<>();
    if (r.timedOut()) {
      String msg = "gathering facts took longer than gather_timeout (" + timeout.toSeconds() + "s)";
      fields.put("msg", msg);
      return new ModuleOutcome(new ExecResult(1, "", msg + "\n", took, true), fields);
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    FactGatherer.parse(r.stdout())
        .forEach(
            (k, v) -> {
              String name = "ansible_" + k;
              if (filters.isEmpty() || filters.stream().anyMatch(f -> matches(f, name))) {
                facts.put(name, v);
              }
            });
    fields.put("ansible_facts", facts);
    fields.put("changed", false);
    return new ModuleOutcome(new ExecResult(0, "", "", took, false), fields);
  }
}
