package dev.orchestrator.execute;

import java.time.Duration;

/** Waits between a step's attempts: the real clock in a run, nothing in unit tests. */
@FunctionalInterface
interface Sleeper {
  /** Sleeps on the calling thread. */
  Sleeper REAL = d -> Thread.sleep(d.toMillis());

  /**
   * Waits for {@code delay}.
   *
   * @throws InterruptedException if the thread is interrupted meanwhile (the run is being stopped)
   */
  void sleep(Duration delay) throws InterruptedException;
}
