package dev.orchestrator.state;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One run's shared work, as one controller sees it: the coordinator's lease on the run (who walks
 * its stages, batches and gates) and the current batch's hosts as work items that any controller of
 * the run claims with a row lease. Leases are on the store's clock (the database's), never a
 * controller's: a controller that stops renewing loses them after their TTL, and a live controller
 * takes its hosts, or the coordination, over (issue 15). Implementations are thread-safe.
 */
public interface WorkQueue {
  /**
   * A host claimed by this controller.
   *
   * @param host the inventory host
   * @param firstClaim whether nobody claimed it before in this pass: only then does {@code rerun}
   *     apply (after a takeover, steps the earlier claimant finished stay finished)
   * @param rerun the step ids the operator asked to run again ({@code resume --rerun-step})
   */
  record Claim(String host, boolean firstClaim, Set<String> rerun) {
    /** Validates the fields. */
    public Claim {
      Objects.requireNonNull(host, "host");
      rerun = Set.copyOf(rerun);
    }
  }

  /** Returns the run. */
  String runId();

  /** Returns this controller's identity in leases, e.g. {@code ops-laptop/4242/9f3a}. */
  String controller();

  /**
   * Takes the run's coordination, when nobody holds it or its holder's lease expired.
   *
   * @param ttl how long the lease lives without a renewal
   * @return empty when taken (or already ours); else who holds it, for a message (controller, last
   *     renewal, expiry)
   */
  Optional<String> takeCoordination(Duration ttl);

  /**
   * Returns who coordinates the run, when another controller holds a live lease on it; nothing is
   * written.
   *
   * @return the holder (controller, last heartbeat, expiry), or empty
   */
  Optional<String> otherCoordinator();

  /**
   * Renews the coordination lease.
   *
   * @return false when it is no longer ours (it expired and another controller took it)
   */
  boolean renewCoordination(Duration ttl);

  /** Gives the coordination up (the run paused or ended); nothing when it is not ours. */
  void releaseCoordination();

  /**
   * Publishes a batch's hosts: each becomes pending in a new pass, except a host another controller
   * still holds under a live lease (it stays claimed; its outcome counts for the new pass).
   *
   * @param hosts the hosts, in order
   * @param rerun the step ids to run again on a host's first claim
   * @return the pass, for {@link #outcomes}
   */
  long publish(List<String> hosts, Set<String> rerun);

  /**
   * Claims up to {@code max} hosts of the run: pending ones, and claimed ones whose lease expired,
   * in publication order, skipping rows other controllers are claiming at the same moment.
   *
   * @param max the most hosts, at least 1
   * @param ttl how long each claim lives without a renewal
   * @return the claims, possibly none
   */
  List<Claim> claim(int max, Duration ttl);

  /**
   * Renews this controller's claims.
   *
   * @return the hosts among {@code hosts} that are no longer this controller's
   */
  Set<String> renew(Collection<String> hosts, Duration ttl);

  /**
   * Records how a claimed host's pipeline ended.
   *
   * @param outcome the outcome, serialised by the engine
   * @return false when the claim was no longer this controller's (the outcome is not recorded)
   */
  boolean complete(String host, String outcome);

  /** Gives every claim of this controller on the run back (it stops: a signal). */
  void releaseAll();

  /** Gives a claim back (pending again), e.g. when this controller stops before running it. */
  void release(String host);

  /**
   * Returns the outcomes recorded for a pass so far, by host.
   *
   * @param pass from {@link #publish}
   */
  Map<String, String> outcomes(long pass);
}
