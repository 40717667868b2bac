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
