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
   * Runs a command on a pseudo-terminal and lets {@code dialog} answer what the terminal asks
   * before the command starts (su's password prompt). Unlike {@link #exec(String, Optional,
   * OutputListener)}, the command is the remote program itself (an SSH exec request, visible in
   * {@code ps} on the host): it must carry no secret. The terminal echoes nothing, translates
   * nothing on output and has no special characters (no interrupt, erase or end-of-file key), so
   * that what is typed reaches the program as data and what it prints arrives byte for byte.
   * Standard output and standard error share the terminal: the command's stderr must go elsewhere
   * if it is to be kept apart.
   *
   * <p>The default, for connections that give no terminal, fails without running anything.
   *
   * @param command the program to run, with no secret in it
   * @param dialog answers the prompts; its {@link TerminalDialog.Started} marks where the command's
   *     output begins
   * @param timeout how long to wait at most; empty means no limit
   * @param listener receives the command's lines (after {@link TerminalDialog.Started})
   * @return the exit code and the output after {@link TerminalDialog.Started} (empty if the dialog
   *     never said it started)
   * @throws TransportException if the connection fails
   */
  default ExecResult execInTerminal(
      String command, TerminalDialog dialog, Optional<Duration> timeout, OutputListener listener)
      throws TransportException {
    return new ExecResult(
        -1,
        "",
        "[orchestrator: this connection gives commands no terminal, which su needs to read a"
            + " password: connect over ssh, or use become_method: sudo]\n",
        Duration.ZERO,
        false);
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
