package dev.orchestrator.transport.ssh;

import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputCapture;
import dev.orchestrator.transport.OutputListener;
import dev.orchestrator.transport.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * One host's SSH connection, opened by {@link SshConnector}: commands run in the host's long-lived
 * shell ({@link RemoteShell}) when it is free and usable, else on an exec channel of their own;
 * uploads go over SFTP. A command whose connection dies is a {@link TransportException.Kind#LOST}.
 */
final class SshConnection implements Connection {
  private final SSHClient client;
  private final String where;
  private final java.util.concurrent.locks.ReentrantLock shellLock =
      new java.util.concurrent.locks.ReentrantLock();
  private boolean useShell;
  private RemoteShell shell;

  SshConnection(SSHClient client, String where, boolean persistentShell) {
    this.client = client;
    this.where = where;
    this.useShell = persistentShell;
  }

  /**
   * Runs the command in the host's long-lived shell when it is free (a lease renewal from another
   * thread while a step runs takes its own channel), else on an exec channel of its own.
   */
  @Override
  public ExecResult exec(String command, Optional<Duration> timeout, OutputListener listener)
      throws TransportException {
    if (shellLock.tryLock()) {
      try {
        Optional<ExecResult> viaShell = viaShell(command, timeout, listener);
        if (viaShell.isPresent()) {
          return viaShell.get();
        }
      } finally {
        shellLock.unlock();
      }
    }
    return execChannel(command, timeout, listener);
  }

  private Optional<ExecResult> viaShell(
      String command, Optional<Duration> timeout, OutputListener listener)
      throws TransportException {
    if (!useShell) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    if (shell != null && !shell.isOpen()) {
      shell.close();
      shell = null;
    }
    if (shell == null) {
      try {
        shell = RemoteShell.start(client);
      } catch (IOException e) {
        if (!stillConnected()) {
          throw lost(e);
        }
        useShell = false; // this server gives no usable shell: one channel per command
        return Optional.empty();
      }
    }
    try {
      RemoteShell.Result r = shell.run(command, timeout, this::killTree, listener);
      return Optional.of(
          new ExecResult(
              r.exitCode(),
              r.stdout(),
              r.stderr(),
              Duration.ofNanos(System.nanoTime() - start),
              r.timedOut()));
    } catch (IOException e) {
      shell.close();
      shell = null;
      if (!stillConnected()) {
        throw lost(e);
      }
      return Optional.of(
          new ExecResult(
              -1,
              "",
              "[orchestrator: the remote shell ended during the command ("
                  + e.getMessage()
                  + "): it was killed on "
                  + where
                  + " (out of memory? check dmesg there); the command may have run in part."
                  + " Check the host, then resume to run the step again]\n",
              Duration.ofNanos(System.nanoTime() - start),
              false));
    }
  }

  /**
   * Kills a timed-out command's process tree over a channel of its own: each process is stopped
   * (SIGSTOP) before its children are looked up and killed, then killed itself. Killing children
   * first let a shell go on to its next command ({@code sleep 30; echo never} printed "never").
   */
  private void killTree(int pid) {
    try {
      execChannel(
          "k() { kill -STOP \"$1\" 2>/dev/null; for c in $(pgrep -P \"$1\"); do k \"$c\"; done;"
              + " kill -KILL \"$1\" 2>/dev/null; }; k "
              + pid,
          Optional.of(Duration.ofSeconds(30)),
          OutputListener.NONE);
    } catch (TransportException e) {
      // The connection is going; the shell's markers will not come and the run sees it lost.
    }
  }

  /** Whether the connection is up, giving a dying transport up to 2 s to say so. */
  private boolean stillConnected() {
    for (int i = 0; i < 20 && client.isConnected(); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return client.isConnected();
  }

  private TransportException lost(Exception e) {
    return new TransportException(
        TransportException.Kind.LOST,
        "the connection to " + where + " was lost while running a command: " + e.getMessage(),
        e);
  }

  private ExecResult execChannel(
      String command, Optional<Duration> timeout, OutputListener listener)
      throws TransportException {
    long start = System.nanoTime();
    try (Session session = client.startSession()) {
      // The exec request names only the shell; the command, and the values it carries, go
      // through its stdin: an exec request's command is a process argument on the host (ps).
      Session.Command cmd = session.exec(dev.orchestrator.transport.StdinScript.SHELL);
      CompletableFuture<String> out =
          OutputCapture.drain(
              cmd.getInputStream(), l -> listener.line(OutputListener.Stream.STDOUT, l));
      CompletableFuture<String> err =
          OutputCapture.drain(
              cmd.getErrorStream(), l -> listener.line(OutputListener.Stream.STDERR, l));
      try (java.io.OutputStream stdin = cmd.getOutputStream()) {
        stdin.write(dev.orchestrator.transport.StdinScript.bytes(command));
      }
      boolean timedOut = false;
      if (timeout.isPresent()) {
        try {
          cmd.join(timeout.get().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ConnectionException e) {
          if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)) {
            throw e;
          }
        }
        timedOut = cmd.isOpen() && cmd.getExitStatus() == null;
        if (timedOut) {
          try {
            cmd.signal(Signal.KILL);
          } catch (IOException e) {
            // The server may not support signals; closing the channel below ends it.
          }
          cmd.close();
        }
      } else {
        cmd.join();
      }
      String stdout = out.get(30, TimeUnit.SECONDS);
      String stderr = err.get(30, TimeUnit.SECONDS);
      if (!client.isConnected()) {
        throw new TransportException(
            TransportException.Kind.LOST,
            "the connection to " + where + " was lost while running a command",
            null);
      }
      Integer status = cmd.getExitStatus();
      String signal =
          cmd.getExitSignal() == null ? "" : "[killed by signal " + cmd.getExitSignal() + "]\n";
      return new ExecResult(
          timedOut || status == null ? -1 : status,
          stdout,
          stderr + signal,
          Duration.ofNanos(System.nanoTime() - start),
          timedOut);
    } catch (IOException | ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new TransportException(
          TransportException.Kind.LOST,
          "the connection to " + where + " failed while running a command: " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException(
          TransportException.Kind.LOST, "interrupted while running a command on " + where, e);
    }
  }

  /** Runs the command on a terminal of its own channel ({@link TerminalExec}). */
  @Override
  public ExecResult execInTerminal(
      String command,
      dev.orchestrator.transport.TerminalDialog dialog,
      Optional<Duration> timeout,
      OutputListener listener)
      throws TransportException {
    return TerminalExec.run(client, where, command, dialog, timeout, listener);
  }

  @Override
  public void put(java.nio.file.Path local, String remote, java.util.function.LongConsumer progress)
      throws TransportException {
    try (net.schmizz.sshj.sftp.SFTPClient sftp = client.newSFTPClient()) {
      sftp.getFileTransfer()
          .setTransferListener(
              new net.schmizz.sshj.xfer.TransferListener() {
                @Override
                public net.schmizz.sshj.xfer.TransferListener directory(String name) {
                  return this;
                }

                @Override
                public net.schmizz.sshj.common.StreamCopier.Listener file(String name, long size) {
                  return progress::accept;
                }
              });
      sftp.put(new net.schmizz.sshj.xfer.FileSystemFile(local.toFile()), remote);
    } catch (IOException e) {
      throw new TransportException(
          TransportException.Kind.LOST,
          "cannot upload "
              + local.getFileName()
              + " to "
              + where
              + ":"
              + remote
              + " over SFTP: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    if (shell != null) {
      shell.close();
    }
    SshConnector.closeQuietly(client);
  }
}
