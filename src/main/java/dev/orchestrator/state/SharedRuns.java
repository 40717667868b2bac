package dev.orchestrator.state;

import java.util.List;

/**
 * A store that several controllers share (the PostgreSQL store): the runs' work queues, and which
 * runs need a controller. The file store is not one: a run there has exactly one controller.
 */
public interface SharedRuns {
  /**
   * Opens a run's work queue as one controller sees it.
   *
   * @param runId the run
   * @param controller this controller's identity ({@link #newController})
   */
  WorkQueue queue(String runId, String controller);

  /** Returns the running runs with hosts to claim (pending, or claimed under an expired lease). */
  List<String> runsWithWork();

  /**
   * Returns the running runs whose coordinator's lease expired: their controller died, and a live
   * one should continue them as {@code resume} would.
   */
  List<String> orphanedRuns();

  /**
   * Makes an identity for this controller process: {@code host/pid/random}, unique even when two
   * processes on two machines have the same pid.
   */
  static String newController() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    byte[] nonce = new byte[3];
    new java.security.SecureRandom().nextBytes(nonce);
    return host
        + "/"
        + ProcessHandle.current().pid()
        + "/"
        + java.util.HexFormat.of().formatHex(nonce);
  }
}
