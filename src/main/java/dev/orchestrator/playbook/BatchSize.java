package dev.orchestrator.playbook;

/**
 * One value of a stage's {@code serial}: a number of hosts, or a percentage of the stage's hosts.
 *
 * @param value a host count (at least 1) or a percentage (1 to 100)
 * @param percent whether {@code value} is a percentage
 */
public record BatchSize(int value, boolean percent) {
  /** Validates the value. */
  public BatchSize {
    if (percent && (value < 1 || value > 100)) {
      throw new IllegalArgumentException(
          "a serial percentage must be between 1% and 100%, got " + value + "%");
    }
    if (!percent && value < 1) {
      throw new IllegalArgumentException("a serial host count must be at least 1, got " + value);
    }
  }

  /** All hosts at once: {@code 100%}. */
  public static final BatchSize ALL = new BatchSize(100, true);

  /**
   * Returns the number of hosts in a batch of this size for a stage of {@code hostCount} hosts. A
   * percentage is rounded down as Ansible does, but is never less than one host.
   */
  public int hostsFor(int hostCount) {
    if (!percent) {
      return value;
    }
    return Math.max(1, (int) Math.floor(hostCount * value / 100.0));
  }

  @Override
  public String toString() {
    return percent ? value + "%" : Integer.toString(value);
  }
}
