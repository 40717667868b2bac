package dev.orchestrator.transport;

import java.time.Duration;
import java.util.Optional;

/**
 * An open connection to one host, reused for every step of the host (Ansible's connection plugin
 * {@code exec}). Implementations: {@code transport.ssh} and {@code transport.local}. One thread
 * uses a connection at a time.
 */
public interface Connection extends AutoCloseable {
  /**
   * Runs a command with {@code /bin/sh -c} semantics and waits for it.
   *
   * @param command the shell command
   * @param timeout how long to wait at most; empty means no limit
   * @return the exit code and output; a timeout gives {@link ExecResult#timedOut()}
   * @throws TransportException if the connection fails (not when the command fails)
   */
  ExecResult exec(String command, Optional<Duration> timeout) throws TransportException;

  /**
   * Runs a command like {@link #exec(String, Optional)}, giving {@code listener} each line of
   * output as it arrives. This default replays the lines once the command ended; the transports
   * override it to stream them.
   *
   * @throws TransportException if the connection fails (not when the command fails)
   */
  default ExecResult exec(String command, Optional<Duration> timeout, OutputListener listener)
      throws TransportException {
    ExecResult r = exec(command, timeout);
    r.stdout().lines().forEach(l -> listener.line(OutputListener.Stream.STDOUT, l));
    r.stderr().lines().forEach(l -> listener.line(OutputListener.Stream.STDERR, l));
    return r;
  }

  /**
   * Copies a file from the controller to the host (Ansible's connection plugin {@code put}),
   * replacing the destination; the destination's folder must exist.
   *
   * @param local the file on the controller
   * @param remote the destination path on the host
   * @throws TransportException if the copy fails
   */
  void put(java.nio.file.Path local, String remote) throws TransportException;

  /**
   * Copies a file like {@link #put(java.nio.file.Path, String)}, reporting the bytes sent so far to
   * {@code progress} while it goes (this default reports once, at the end).
   *
   * @throws TransportException if the copy fails
   */
  default void put(
      java.nio.file.Path local, String remote, java.util.function.LongConsumer progress)
      throws TransportException {
    put(local, remote);
    try {
      progress.accept(java.nio.file.Files.size(local));
    } catch (java.io.IOException e) {
      // the copy succeeded; only the figure is missing
    }
  }

  /** Closes the connection; never throws. */
  @Override
  void close();
}
