package dev.orchestrator.execute;

import dev.orchestrator.transport.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a package module's script printed: before its {@code @@stdout} line, marks of ours
 * ({@code @@changed}, {@code @@KEY=VALUE}, {@code @@result=LINE} repeated); after it, the package
 * manager's own output, verbatim (so that a name it prints can never pass for a mark). The
 * manager's stderr is the script's, before an {@code @@msg} of {@link ServiceScript#PRELUDE}.
 *
 * @param changed whether the script said {@code @@changed}
 * @param marks the {@code @@KEY=VALUE} marks
 * @param results the {@code @@result=} lines, in order
 * @param stdout the manager's stdout
 * @param stderr the manager's stderr
 */
record PackageOutput(
    boolean changed,
    Map<String, String> marks,
    List<String> results,
    String stdout,
    String stderr) {
  /**
   * What a package module's script starts with: {@link ServiceScript#PRELUDE}, {@link
   * PackageList#SHELL}, no pathname expansion, a temp folder {@code $__t} for the manager's output
   * ({@code o}, {@code e}), and {@code __end [MESSAGE]}, which prints {@code @@stdout} and that
   * output, then fails with MESSAGE when given, else ends the script.
   */
  static final String PRELUDE =
      ServiceScript.PRELUDE
          + PackageList.SHELL
          + """
          set -f
          __t=$(mktemp -d) || __svc_fail 'mktemp failed'
          trap 'rm -rf "$__t"' EXIT
          : >"$__t/o"; : >"$__t/e"
          __end() {
            echo @@stdout; cat "$__t/o"; cat "$__t/e" >&2
            [ -z "${1:-}" ] || __svc_fail "$1"
            exit 0
          }
          """;

  /** Copies the fields. */
  PackageOutput {
    marks = Map.copyOf(marks);
    results = List.copyOf(results);
  }

  /** Reads a script's result. */
  static PackageOutput parse(ExecResult result) {
    boolean changed = false;
    Map<String, String> marks = new LinkedHashMap<>();
    List<String> results = new ArrayList<>();
    String out = result.stdout();
    int body = out.startsWith("@@stdout\n") ? 0 : out.indexOf("\n@@stdout\n");
    String head = body < 0 ? out : out.substring(0, body);
    String stdout = body < 0 ? "" : out.substring(out.indexOf("@@stdout\n", body) + 9);
    for (String line : head.split("\n", -1)) {
      if (line.equals("@@changed")) {
        changed = true;
      } else if (line.startsWith("@@result=")) {
        results.add(line.substring(9));
      } else if (line.startsWith("@@") && line.indexOf('=') > 2) {
        marks.put(line.substring(2, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    return new PackageOutput(
        changed, marks, results, stdout, ServiceModule.beforeMessage(result.stderr()));
  }

  /**
   * The outcome: {@code fields} plus, when the script failed, {@code msg} (unless {@code fields}
   * has one) and {@code rc} (unless {@code fields} has one: else the script's {@code @@rc}).
   */
  ModuleOutcome outcome(ExecResult result, Map<String, Object> fields, String module) {
    Map<String, Object> f = new LinkedHashMap<>(fields);
    if (result.succeeded()) {
      return new ModuleOutcome(new ExecResult(0, stdout, stderr, result.duration(), false), f);
    }
    String message =
        result.timedOut()
            ? "the step's timeout ended " + module
            : f.containsKey("msg")
                ? String.valueOf(f.get("msg"))
                : ServiceModule.message(result, module);
    f.put("msg", message);
    int rc = marks.containsKey("rc") ? Integer.parseInt(marks.get("rc")) : 1;
    f.putIfAbsent("rc", rc);
    return new ModuleOutcome(
        new ExecResult(
            rc == 0 ? 1 : rc,
            stdout,
            message.endsWith("\n") ? message : message + "\n",
            result.duration(),
            result.timedOut()),
        f);
  }
}
