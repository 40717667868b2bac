package dev.orchestrator.app;

/** Who decides at approval gates. */
public enum ApprovalPolicy {
  /** A person: the run pauses at an approval gate until {@code approve} or {@code reject}. */
  MANUAL,
  /** Approval gates pass by themselves (the sandbox demo). */
  AUTOMATIC
}
