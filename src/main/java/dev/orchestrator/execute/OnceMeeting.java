package dev.orchestrator.execute;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the hosts of one batch meet for a {@code run_once} step ({@link OnceSteps}): which host
 * pipelines of this execution are under way, and how the ended ones ended. A host waiting for the
 * batch's chosen host's checkpoint asks here whether that host may still write it. Whether a host
 * ran a step is read from the run's checkpoints, so that it survives a controller stop; the value
 * it registered is also handed over here, in memory and unmasked ({@link #ran}), because the
 * checkpoint's copy has its secrets masked. One per execution; thread-safe.
 */
final class OnceMeeting {
  /** Where the host that runs a step for the batch is, as this execution knows it. */
  enum Whereabouts {
    /** Its pipeline is under way, or will start in this batch. */
    UNDER_WAY,
    /** Its pipeline ended in this batch (see {@link #how}). */
    ENDED,
    /** It is not among the hosts this execution runs in the batch. */
    ABSENT,
    /** This execution shares its batches with other controllers: it cannot tell. */
    UNKNOWN
  }

  private final Map<String, String> ended = new ConcurrentHashMap<>();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, Object>> handed = new ConcurrentHashMap<>();
  private volatile Set<String> batch; // null: not told (a batch shared with other controllers)

  /** The batch whose hosts are about to start on this controller, in full. */
  void batch(Collection<String> hosts) {
    Set<String> next = Set.copyOf(hosts);
    next.forEach(ended::remove);
    batch = next;
  }

  /** A host's pipeline ended; {@code how} says how (its outcome's message). */
  void ended(String host, String how) {
    ended.put(host, how);
  }

  /** {@code host} starts running {@code run_once} step {@code stepId} for its batch here. */
  void running(String host, String stepId) {
    running.add(key(host, stepId));
  }

  /**
   * {@code host} ran {@code stepId} here: {@code registered} is what it registered (secrets not
   * masked), or null when it did not succeed.
   */
  void ran(String host, String stepId, Map<String, Object> registered) {
    if (registered != null) {
      handed.put(key(host, stepId), registered);
    }
    running.remove(key(host, stepId));
  }

  /** Whether {@code host} is running {@code stepId} here and has not handed its result over yet. */
  boolean handing(String host, String stepId) {
    return running.contains(key(host, stepId));
  }

  /** What {@code host} registered when it ran {@code stepId} here, secrets not masked. */
  Optional<Map<String, Object>> handed(String host, String stepId) {
    return Optional.ofNullable(handed.get(key(host, stepId)));
  }

  private static String key(String host, String stepId) {
    return host + '\u0000' + stepId;
  }

  /** Where {@code host} is. */
  Whereabouts of(String host) {
    Set<String> current = batch;
    if (current == null) {
      return Whereabouts.UNKNOWN;
    }
    if (!current.contains(host)) {
      return Whereabouts.ABSENT;
    }
    return ended.containsKey(host) ? Whereabouts.ENDED : Whereabouts.UNDER_WAY;
  }

  /** How {@code host}'s pipeline ended, if it did. */
  Optional<String> how(String host) {
    return Optional.ofNullable(ended.get(host));
  }
}
