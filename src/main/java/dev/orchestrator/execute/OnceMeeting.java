package dev.orchestrator.execute;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the hosts of one batch meet for a {@code run_once} step ({@link OnceSteps}): which host
 * pipelines of this execution are under way, and how the ended ones ended. A host waiting for the
 * batch's chosen host's checkpoint asks here whether that host may still write it. What a host ran
 * is never read from here: it is read from the run's checkpoints, so that it survives a controller
 * stop. One per execution; thread-safe.
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
