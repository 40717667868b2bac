package dev.orchestrator.playbook;

import java.util.List;
import java.util.Objects;

/**
 * A stage of the rollout: a set of hosts (by pattern) updated in batches, e.g. {@code qa} then
 * {@code production}.
 *
 * @param name unique name of the stage
 * @param hosts the host pattern (Ansible syntax, e.g. {@code production:!web3})
 * @param serial the batch sizes in order; the last one repeats (Ansible's {@code serial})
 * @param maxFailPercentage the share of a batch's hosts that may fail, in percent (0 to 100),
 *     before the rollout pauses; the limit must be exceeded, as in Ansible. 0: any failure pauses
 * @param anyErrorsFatal when a host fails, the batch's other hosts stop before their next step and
 *     the rollout pauses (Ansible's {@code any_errors_fatal})
 * @param gates what the rollout waits for before this stage starts
 * @param batchGates what the rollout waits for between this stage's batches
 */
public record Stage(
    String name,
    String hosts,
    List<BatchSize> serial,
    int maxFailPercentage,
    boolean anyErrorsFatal,
    List<Gate> gates,
    List<Gate> batchGates) {
  /** A stage without gates. */
  public Stage(String name, String hosts, List<BatchSize> serial, int maxFailPercentage) {
    this(name, hosts, serial, maxFailPercentage, false, List.of(), List.of());
  }

  /** Validates the fields. */
  public Stage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hosts, "hosts");
    serial = List.copyOf(serial);
    if (serial.isEmpty()) {
      throw new IllegalArgumentException("serial must have at least one value");
    }
    if (maxFailPercentage < 0 || maxFailPercentage > 100) {
      throw new IllegalArgumentException("max_fail_percentage must be between 0 and 100");
    }
    gates = List.copyOf(gates);
    batchGates = List.copyOf(batchGates);
  }
}
