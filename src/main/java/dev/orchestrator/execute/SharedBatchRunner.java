package dev.orchestrator.execute;

import dev.orchestrator.plan.PlannedHost;
import dev.orchestrator.state.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a batch together with the run's other controllers (issue 15): publishes the batch's hosts in
 * the run's {@link WorkQueue}, claims hosts like any worker does (up to {@code forks} at once) and
 * runs their pipelines here, renewing its claims every third of their TTL, until every host of the
 * batch has an outcome, whichever controller reached it. The outcomes come back in the batch's
 * order, so the rollout decides on them exactly as on a batch run by one controller. A host claimed
 * again after its claimant died is planned again against its checkpoints ({@link
 * SharedExecution.HostPlanner}): it continues at its first unfinished step, with resume's in-doubt
 * rules. {@code any_errors_fatal} stops the batch's other hosts on this controller.
 */
final class SharedBatchRunner implements Batches {
  /** How often the queue is looked at while the batch's hosts are under way elsewhere. */
  static final Duration POLL = Duration.ofMillis(100);

  private final SharedExecution shared;
  private final int forks;
  private final PipelineFactory pipelines;
  private final ExecutorService pool;
  private final ScheduledExecutorService renewals;

  SharedBatchRunner(SharedExecution shared, int forks, PipelineFactory pipelines) {
    this.shared = shared;
    this.forks = forks;
    this.pipelines = pipelines;
    this.pool = Executors.newFixedThreadPool(forks, Pools.daemon("host-pipeline"));
    this.renewals = Executors.newSingleThreadScheduledExecutor(Pools.daemon("claim-renewal"));
  }

  @Override
  public List<HostOutcome> run(List<PlannedHost> work, boolean anyErrorsFatal) {
    if (work.isEmpty()) {
      return List.of();
    }
    WorkQueue queue = shared.queue();
    Map<String, PlannedHost> planned = new LinkedHashMap<>();
    work.forEach(h -> planned.put(h.host().name(), h));
    long pass = queue.publish(List.copyOf(planned.keySet()), shared.rerun());
    java.util.Set<String> running = ConcurrentHashMap.newKeySet();
    List<Future<?>> started = new ArrayList<>();
    java.util.concurrent.BlockingQueue<String> ended =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Map<String, AtomicBoolean> stops = new ConcurrentHashMap<>();
    long every = Math.max(100, shared.claimTtl().toMillis() / 3);
    var renewal =
        renewals.scheduleAtFixedRate(
            () -> renew(queue, running, stops), every, every, TimeUnit.MILLISECONDS);
    try {
      while (true) {
        Map<String, String> done = queue.outcomes(pass);
        // a pipeline's own exception is a bug: it surfaces as soon as its host ends
        List<Future<?>> finished = started.stream().filter(Future::isDone).toList();
        finished.forEach(Pools::join);
        started.removeAll(finished);
        if (done.keySet().containsAll(planned.keySet())) {
          List<HostOutcome> out = new ArrayList<>();
          planned.keySet().forEach(h -> out.add(HostOutcomeJson.read(h, done.get(h))));
          return out;
        }
        int free = forks - running.size();
        if (free > 0) {
          for (WorkQueue.Claim claim : queue.claim(free, shared.claimTtl())) {
            AtomicBoolean stop = new AtomicBoolean(false);
            stops.put(claim.host(), stop);
            running.add(claim.host());
            Future<?> f =
                pool.submit(
                    () -> {
                      try {
                        HostOutcome outcome =
                            runClaimed(claim, planned.get(claim.host()), stop, anyErrorsFatal);
                        if (anyErrorsFatal && !(outcome instanceof HostOutcome.Done)) {
                          stops.values().forEach(s -> s.set(true));
                        }
                        queue.complete(claim.host(), HostOutcomeJson.write(outcome));
                      } finally {
                        running.remove(claim.host());
                        stops.remove(claim.host());
                        ended.add(claim.host()); // wakes the loop: a slot is free
                      }
                    });
            started.add(f);
          }
        }
        await(ended);
      }
    } finally {
      renewal.cancel(false);
    }
  }

  /**
   * Runs a claimed host: on its first claim as this controller planned it, else planned again
   * against its checkpoints (another controller worked on it).
   */
  private HostOutcome runClaimed(
      WorkQueue.Claim claim, PlannedHost ours, AtomicBoolean stop, boolean anyErrorsFatal) {
    Optional<PlannedHost> host =
        claim.firstClaim() && ours != null
            ? Optional.of(ours)
            : shared
                .planner()
                .plan(claim.host(), claim.firstClaim() ? claim.rerun() : java.util.Set.of());
    if (host.isEmpty()) {
      return new HostOutcome.Paused(
          claim.host(), "", "the host is no longer in the run's inventory or --limit");
    }
    return pipelines.create(host.get(), false, stop, anyErrorsFatal).run();
  }

  /** Renews this controller's claims; a host whose claim was lost stops before its next step. */
  private void renew(
      WorkQueue queue, java.util.Set<String> running, Map<String, AtomicBoolean> stops) {
    try {
      for (String lost : queue.renew(List.copyOf(running), shared.claimTtl())) {
        AtomicBoolean stop = stops.get(lost);
        if (stop != null) {
          stop.set(true);
        }
      }
    } catch (RuntimeException e) {
      // The database is unreachable for a moment: the next renewal tries again; the host-side
      // lease file keeps guarding the host meanwhile.
    }
  }

  /** Waits until one of this controller's hosts ends, or {@link #POLL} at most. */
  private static void await(java.util.concurrent.BlockingQueue<String> ended) {
    try {
      ended.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
      ended.clear();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the batch's hosts", e);
    }
  }

  @Override
  public void shutdown() {
    pool.shutdownNow();
    renewals.shutdownNow();
  }
}
