package dev.orchestrator.execute;

import dev.orchestrator.transport.ExecResult;
import java.util.Map;

/**
 * The outcome of a host module's script that reports with {@code @@} lines on stdout and fails with
 * {@link ServiceScript#PRELUDE}'s {@code __svc_fail} (its message after {@code @@msg} on stderr):
 * shared by {@link HaproxyModule}, {@link NagiosModule}, {@link NpmModule} and {@link
 * SebooleanModule}.
 */
final class ScriptOutcome {
  private ScriptOutcome() {}

  /**
   * The outcome: on success the result with {@code out} as stdout; on failure {@code msg} joins
   * {@code fields} and the result's stderr is the message.
   *
   * @param out what the script printed that is not an {@code @@} line
   * @param fields the module's result keys so far (receives {@code msg} on failure)
   * @param module the module's name, for a message without one
   */
  static ModuleOutcome of(
      ExecResult result, String out, Map<String, Object> fields, String module) {
    String stderr = ServiceModule.beforeMessage(result.stderr());
    if (result.succeeded()) {
      return new ModuleOutcome(new ExecResult(0, out, stderr, result.duration(), false), fields);
    }
    String message = ServiceModule.message(result, module);
    fields.put("msg", message);
    return new ModuleOutcome(
        new ExecResult(
            result.exitCode() == 0 ? 1 : result.exitCode(),
            out,
            message.endsWith("\n") ? message : message + "\n",
            result.duration(),
            result.timedOut()),
        fields);
  }
}
