package dev.orchestrator.transport.local;

import dev.orchestrator.transport.Connection;
import dev.orchestrator.transport.Connector;
import dev.orchestrator.transport.Endpoint;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputCapture;
import dev.orchestrator.transport.OutputListener;
import dev.orchestrator.transport.TransportException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code connection: local}: runs steps on the controller itself with {@code /bin/sh}, in the
 * user's home folder, as SSH would. The command goes to {@code /bin/sh -s} through its stdin
 * ({@link dev.orchestrator.transport.StdinScript}): on a command line, the values it carries would
 * be visible in {@code ps} to every local user.
 */
public final class LocalConnector implements Connector {
  /** The home folder commands run in (and where the host's lease and records live). */
  private final Path home;

  /** A connector whose commands run in the user's home folder ({@code user.home}). */
  public LocalConnector() {
    this(Path.of(System.getProperty("user.home")));
  }

  /**
   * A connector whose commands run in {@code home} (with {@code HOME} set to it): where a local
   * host's lease and records live.
   *
   * @param home an existing folder
   */
  public LocalConnector(Path home) {
    this.home = java.util.Objects.requireNonNull(home, "home");
  }

  private Path home() {
    return home;
  }

  @Override
  public Connection open(String host, Endpoint spec) {
    return new LocalConnection();
  }

  private final class LocalConnection implements Connection {
    @Override
    public ExecResult exec(String command, Optional<Duration> timeout, OutputListener listener)
        throws TransportException {
      long start = System.nanoTime();
      Process process;
      try {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-s");
        builder.environment().put("HOME", home().toString());
        process = builder.directory(home().toFile()).start();
      } catch (IOException e) {
        throw new TransportException(
            TransportException.Kind.CONNECT,
            "cannot start /bin/sh on the controller: " + e.getMessage(),
            e);
      }
      CompletableFuture<String> out =
          OutputCapture.drain(
              process.getInputStream(), l -> listener.line(OutputListener.Stream.STDOUT, l));
      CompletableFuture<String> err =
          OutputCapture.drain(
              process.getErrorStream(), l -> listener.line(OutputListener.Stream.STDERR, l));
      try (java.io.OutputStream stdin = process.getOutputStream()) {
        stdin.write(dev.orchestrator.transport.StdinScript.bytes(command));
      } catch (IOException e) {
        // The shell ended before reading its script: its exit code and stderr say why.
      }
      boolean timedOut = false;
      try {
        if (timeout.isPresent()) {
          timedOut = !process.waitFor(timeout.get().toMillis(), TimeUnit.MILLISECONDS);
        } else {
          process.waitFor();
        }
        if (timedOut) {
          killTree(process.toHandle());
          process.waitFor();
        }
        return new ExecResult(
            timedOut ? -1 : process.exitValue(),
            out.get(),
            err.get(),
            Duration.ofNanos(System.nanoTime() - start),
            timedOut);
      } catch (InterruptedException e) {
        killTree(process.toHandle());
        Thread.currentThread().interrupt();
        throw new TransportException(
            TransportException.Kind.LOST, "interrupted while running a local command", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new TransportException(
            TransportException.Kind.LOST, "cannot read the command's output: " + e.getCause(), e);
      }
    }

    @Override
    public void put(Path local, String remote, java.util.function.LongConsumer progress)
        throws TransportException {
      try {
        java.nio.file.Files.copy(
            local, Path.of(remote), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        progress.accept(java.nio.file.Files.size(local)); // a local copy is one step
      } catch (IOException e) {
        throw new TransportException(
            TransportException.Kind.LOST,
            "cannot copy "
                + local
                + " to "
                + remote
                + ": "
                + e
                + "; check that the folder exists and is writable",
            e);
      }
    }

    @Override
    public void close() {}
  }

  /**
   * Kills a process tree parents first: a shell whose child was killed first would go on to its
   * next command ({@code sleep 30; rm x} would run the {@code rm} after a timeout). Each process's
   * children are listed before it is killed, so the ones it leaves behind are still reached.
   */
  private static void killTree(ProcessHandle process) {
    java.util.List<ProcessHandle> children = process.children().toList();
    process.destroyForcibly();
    children.forEach(LocalConnector::killTree);
  }
}
