package dev.orchestrator.rollout;

/** How approval gates ({@code gates: - approval: ...}) are passed. */
public enum ApprovalPolicy {
  /** An approval gate pauses the run until a person runs {@code orchestrator approve}. */
  WAIT_FOR_PERSON,
  /**
   * Approval gates pass by themselves, recorded as "approved automatically (sandbox)": the
   * sandbox's demo only, never a real fleet.
   */
  AUTO_APPROVE
}
