package dev.orchestrator.transport;

import java.time.Duration;
import java.util.Optional;

/**
 * An open connection to one host, reused for every step of the host (Ansible's connection plugin
 * {@code exec}). Implementations: {@code transport.ssh} and {@code transport.local}. A host's
 * pipeline runs its steps on it one at a time; another thread (a lease renewal) may run a command
 * meanwhile, and implementations allow that.
 */
public interface Connection extends AutoCloseable {
  /**
   * Runs a command with {@code /bin/sh -c} semantics and waits for it, giving {@code listener} each
   * line of output as it arrives (called on a reader thread). The command may carry secret values:
   * implementations give it to the shell through its stdin ({@link StdinScript}), never as a
   * process argument or in an SSH exec request, where {@code ps} would show it to every user of the
   * machine.
   *
   * @param command the shell command
   * @param timeout how long to wait at most; empty means no limit
   * @param listener receives the lines while the command runs
   * @return the exit code and the whole output; a timeout gives {@link ExecResult#timedOut()}
   * @throws TransportException if the connection fails (not when the command fails)
   */
  ExecResult exec(String command, Optional<Duration> timeout, OutputListener listener)
      throws TransportException;

  /**
   * Runs a command like {@link #exec(String, Optional, OutputListener)}, without a listener.
   *
   * @throws TransportException if the connection fails (not when the command fails)
   */
  default ExecResult exec(String command, Optional<Duration> timeout) throws TransportException {
    return exec(command, timeout, OutputListener.NONE);
  }

  /**
   * Copies a file from the controller to the host (Ansible's connection plugin {@code put}),
   * replacing the destination; the destination's folder must exist. Reports the bytes sent so far
   * to {@code progress} while it goes.
   *
   * @param local the file on the controller
   * @param remote the destination path on the host
   * @param progress receives the bytes sent so far
   * @throws TransportException if the copy fails
   */
  void put(java.nio.file.Path local, String remote, java.util.function.LongConsumer progress)
      throws TransportException;

  /**
   * Copies a file like {@link #put(java.nio.file.Path, String, java.util.function.LongConsumer)},
   * without progress.
   *
   * @throws TransportException if the copy fails
   */
  default void put(java.nio.file.Path local, String remote) throws TransportException {
    put(local, remote, bytes -> {});
  }

  /** Closes the connection; never throws. */
  @Override
  void close();
}
