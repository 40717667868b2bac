package dev.orchestrator.execute;

import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.TransportException;
import java.util.Map;
import java.util.Objects;

/**
 * How one attempt of a module ended: the result as a command's (exit code 0 when the module
 * succeeded, its message in stderr when not), and the module's own result keys with Ansible's names
 * ({@code msg}, {@code status}, {@code json}, {@code ansible_facts}, ...), which join the step's
 * registered result.
 *
 * @param result the attempt's result
 * @param fields the module's result keys
 */
record ModuleOutcome(ExecResult result, Map<String, Object> fields) {
  /** Copies the fields. */
  ModuleOutcome {
    Objects.requireNonNull(result, "result");
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }

  /**
   * The outcome of a module whose script on the host failed: its message ({@code msg}) says the
   * step's timeout ended it, or what the script printed ({@link ServiceModule#message}); the exit
   * code is at least 1 and the message is the stderr.
   *
   * @param result the script's result
   * @param module the module's name, for the message
   * @param stdout what the outcome shows as stdout
   * @param fields the module's result keys so far; {@code msg} is added
   */
  static ModuleOutcome failed(
      ExecResult result, String module, String stdout, Map<String, Object> fields) {
    String message =
        result.timedOut()
            ? "the step's timeout ended " + module
            : ServiceModule.message(result, module);
    fields.put("msg", message);
    return new ModuleOutcome(
        new ExecResult(
            Math.max(1, result.exitCode()),
            stdout,
            message + "\n",
            result.duration(),
            result.timedOut()),
        fields);
  }

  /** A module attempt: what {@link StepAction.Module} runs. */
  @FunctionalInterface
  interface Invocation {
    /**
     * Runs one attempt.
     *
     * @throws TransportException if the connection fails
     */
    ModuleOutcome run(Connection connection, StepAction.Attempt attempt) throws TransportException;
  }
}
