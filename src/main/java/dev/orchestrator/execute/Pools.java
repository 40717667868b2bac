package dev.orchestrator.execute;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/** Threads and futures of an execution: daemon threads, and waiting that fails loudly. */
final class Pools {
  private Pools() {}

  /** A factory of daemon threads named {@code name} (they never keep the JVM alive). */
  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** A single daemon thread named {@code name} that runs scheduled tasks (lease renewals). */
  static java.util.concurrent.ScheduledExecutorService scheduled(String name) {
    return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(daemon(name));
  }

  /**
   * Waits for a host's pipeline.
   *
   * @throws RuntimeException the pipeline's own (a bug), as it was thrown
   * @throws IllegalStateException when interrupted (the interrupt flag is set again)
   */
  static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for hosts", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
