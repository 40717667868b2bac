package dev.orchestrator.rollout;

/**
 * Ansible's {@code max_fail_percentage}: after a batch, the rollout pauses when the share of the
 * batch's hosts that failed <em>exceeds</em> the limit (equal is still within budget). A limit of 0
 * pauses on any failure, the default.
 */
public final class FailureBudget {
  private FailureBudget() {}

  /**
   * Returns whether a batch's failures exceed the budget.
   *
   * @param failed hosts of the batch that failed or were unreachable
   * @param batchSize hosts in the batch
   * @param maxFailPercentage the limit, 0 to 100
   */
  public static boolean exceeded(int failed, int batchSize, int maxFailPercentage) {
    if (failed <= 0 || batchSize <= 0) {
      return false;
    }
    return failed * 100.0 / batchSize > maxFailPercentage;
  }
}
