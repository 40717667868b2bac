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
   * Copies a file from the controller to the host (Ansible's connection plugin {@code put}),
   * replacing the destination; the destination's folder must exist.
   *
   * @param local the file on the controller
   * @param remote the destination path on the host
   * @throws TransportException if the copy fails
   */
  void put(java.nio.file.Path local, String remote) throws TransportException;

  /** Closes the connection; never throws. */
  @Override
  void close();
}
