package dev.orchestrator.transport.ssh;

import dev.orchestrator.template.ShellQuote;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One long-lived shell on a host that runs the host's commands one after another, so that a step
 * costs a fork on the host instead of a new SSH channel, a new login-shell process and its rc file
 * (issue #6). The shell is {@code /bin/sh} ({@code exec /bin/sh -s}): steps are documented to run
 * with {@code /bin/sh -c}, as Ansible's {@code shell} module runs them. Each command runs in a
 * subshell, {@code ( eval 'COMMAND' ) </dev/null}, so that {@code exit}, {@code cd}, {@code set -e}
 * or a syntax error stay inside the command.
 *
 * <p>Output framing: after each command the shell prints a marker with a per-shell random nonce and
 * a sequence number, {@code \n__ORCH_<nonce>_<n> <exit code>\n}, on stdout and {@code
 * \n__ORCH_<nonce>_<n>\n} on stderr; everything before the markers is the command's own output,
 * byte for byte. For a command with a timeout the shell first reports the subshell's pid on stderr,
 * so that a command that outlives its timeout can be killed over a separate channel.
 *
 * <p>Not thread-safe: the owning connection hands it to one caller at a time.
 *
 * <p>Why one class of over 400 lines: the framing protocol of the long-lived shell (the wrapper
 * script, the nonce markers on two streams, timeouts and kills) must be read and changed together;
 * each half alone would be unverifiable.
 */
final class RemoteShell implements AutoCloseable {
  /** How long the shell may take to answer its first (empty) command: 20 s. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  /** After a timed-out command was killed, how long its end markers may take: 10 s. */
  static final Duration KILL_GRACE = Duration.ofSeconds(10);

  /**
   * Defined once in the shell. {@code __orch_run COMMAND MARK} runs one command in a subshell, then
   * prints the end markers; {@code __orch_bg COMMAND MARK} does the same for a command with a
   * timeout, run in the background only so that its pid can be reported (and killed). The subshell
   * drops the function's arguments so that {@code $1}, {@code $#} and {@code $@} are empty, as
   * under {@code sh -c COMMAND}.
   */
  static final String RUNNER =
      "__orch_end() { printf '\\n%s %s\\n' \"$1\" \"$2\"; printf '\\n%s\\n' \"$1\" >&2; }\n"
          + "__orch_run() { ( __orch_c=$1; shift 2; eval \"$__orch_c\" ) </dev/null;"
          + " __orch_end \"$2\" $?; }\n"
          + "__orch_bg() { ( __orch_c=$1; shift 2; eval \"$__orch_c\" ) </dev/null &\n"
          + "__orch_p=$!; printf '%s_PID %s\\n' \"$2\" \"$__orch_p\" >&2; wait \"$__orch_p\";"
          + " __orch_end \"$2\" $?; }\n";

  private final Session session;
  private final Session.Command shell;
  private final OutputStream stdin;
  private final String nonce;
  private final FramedReader out;
  private final FramedReader err;
  private int sequence;
  private boolean broken;

  private RemoteShell(Session session, Session.Command shell, String nonce) {
    this.session = session;
    this.shell = shell;
    this.stdin = shell.getOutputStream();
    this.nonce = nonce;
    String ours = "__ORCH_" + nonce + "_";
    this.out =
        new FramedReader(
            shell.getInputStream(), "ssh-shell-out", OutputListener.Stream.STDOUT, ours);
    this.err =
        new FramedReader(
            shell.getErrorStream(), "ssh-shell-err", OutputListener.Stream.STDERR, ours);
  }

  /**
   * Starts the shell and waits until it answers an empty command (whatever an rc file prints is
   * discarded with that first answer).
   *
   * @throws IOException if the session cannot be opened or the shell does not answer in time
   */
  static RemoteShell start(SSHClient client) throws IOException {
    Session session = client.startSession();
    try {
      Session.Command cmd = session.exec("exec /bin/sh -s");
      byte[] random = new byte[8];
      new SecureRandom().nextBytes(random);
      RemoteShell shell = new RemoteShell(session, cmd, HexFormat.of().formatHex(random));
      shell.stdin.write(RUNNER.getBytes(StandardCharsets.UTF_8));
      Result first = shell.run("true", Optional.of(START_TIMEOUT), pid -> {}, OutputListener.NONE);
      // (with a timeout: this also proves that the shell reports pids for __orch_bg)
      if (first.exitCode() != 0 || first.timedOut()) {
        shell.close();
        throw new IOException("the remote shell did not answer (exit " + first.exitCode() + ")");
      }
      return shell;
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** What one command gave. */
  record Result(int exitCode, String stdout, String stderr, boolean timedOut) {}

  /** Thrown when the shell's streams ended or broke before a command's markers arrived. */
  static final class ShellEnded extends IOException {
    ShellEnded(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Runs one command and waits for its markers.
   *
   * @param command the command, as for {@code sh -c}
   * @param timeout the longest wait; when exceeded, {@code killer} is given the subshell's pid and
   *     the result is marked timed out (the shell is then unusable unless the markers still come)
   * @param killer kills a process tree on the host by pid (over another channel)
   * @param listener gets the command's lines as they arrive
   * @throws ShellEnded if the shell's output ended before the markers (connection or shell gone)
   * @throws IOException if the command cannot be sent
   */
  Result run(
      String command,
      Optional<Duration> timeout,
      java.util.function.IntConsumer killer,
      OutputListener listener)
      throws IOException {
    String mark = "__ORCH_" + nonce + "_" + (++sequence);
    String pidMark = mark + "_PID ";
    CompletableFuture<Framed> o = out.next(stdoutEnd(mark), listener);
    CompletableFuture<Framed> e = err.next(stderrEnd(mark), listener);
    String script =
        (timeout.isPresent() ? "__orch_bg " : "__orch_run ")
            + ShellQuote.quote(command)
            + " "
            + mark
            + "\n";
    stdin.write(script.getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    boolean timedOut = false;
    Framed stdout;
    Framed stderr;
    try {
      if (timeout.isPresent()) {
        long deadline = System.nanoTime() + timeout.get().toNanos();
        try {
          stdout = o.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          stderr =
              e.get(
                  Math.max(0, deadline - System.nanoTime()) + 5_000_000_000L, TimeUnit.NANOSECONDS);
        } catch (TimeoutException te) {
          timedOut = true;
          Integer pid = err.pidAfter(pidMark);
          if (pid != null) {
            killer.accept(pid);
          }
          try {
            stdout = o.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            stderr = e.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
          } catch (TimeoutException stuck) {
            broken = true;
            return new Result(
                -1,
                "",
                "[orchestrator: the command did not end after it was killed; its shell was"
                    + " closed. Processes it started may still run on the host: check with ps"
                    + " before resuming]\n",
                true);
          }
        }
      } else {
        stdout = o.get();
        stderr = e.get();
      }
    } catch (ExecutionException ee) {
      Throwable cause = ee.getCause();
      throw new ShellEnded(
          cause instanceof ShellEnded
              ? cause.getMessage()
              : "the remote shell's output broke: " + cause,
          cause);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new ShellEnded("interrupted while waiting for the remote shell", ie);
    }
    String errText = stripPid(stderr.text(), pidMark);
    int rc = parseExit(stdout.trailer());
    return new Result(timedOut ? -1 : rc, stdout.text(), errText, timedOut);
  }

  private static Function<String, String> stdoutEnd(String mark) {
    return tail -> {
      String prefix = "\n" + mark + " ";
      int at = tail.lastIndexOf(prefix);
      if (at < 0 || !tail.endsWith("\n") || tail.length() <= at + prefix.length()) {
        return null;
      }
      String digits = tail.substring(at + prefix.length(), tail.length() - 1);
      return digits.matches("\\d{1,3}") ? tail.substring(at) : null;
    };
  }

  private static Function<String, String> stderrEnd(String mark) {
    return tail -> tail.endsWith("\n" + mark + "\n") ? "\n" + mark + "\n" : null;
  }

  private static int parseExit(String trailer) {
    String t = trailer.strip();
    return Integer.parseInt(t.substring(t.lastIndexOf(' ') + 1));
  }

  private static String stripPid(String text, String pidMark) {
    int at = text.indexOf(pidMark);
    if (at < 0) {
      return text;
    }
    int end = text.indexOf('\n', at);
    return text.substring(0, at) + (end < 0 ? "" : text.substring(end + 1));
  }

  /** Returns whether the shell's channel is still open. */
  boolean isOpen() {
    return !broken && shell.isOpen() && !out.ended() && !err.ended();
  }

  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      // closing the session below ends the shell either way
    }
    try {
      session.close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** A command's output up to its marker, and the marker line. */
  record Framed(String text, String trailer) {}

  /**
   * Reads one stream of the shell on its own thread and splits it at markers. Keeps at most {@link
   * ExecResult#MAX_CAPTURE} bytes of a command's output (the rest is counted and dropped) while
   * still finding the marker.
   */
  private static final class FramedReader {
    private final InputStream in;
    private final OutputListener.Stream kind;
    private final String ours;
    private OutputListener listener = OutputListener.NONE;
    private final StringBuilder line = new StringBuilder();
    private int pendingEmpty;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final StringBuilder tail = new StringBuilder();
    private long dropped;
    private CompletableFuture<Framed> pending;
    private Function<String, String> end;
    private volatile boolean ended;
    private IOException failure;

    FramedReader(InputStream in, String name, OutputListener.Stream kind, String ours) {
      this.in = in;
      this.kind = kind;
      this.ours = ours;
      Thread t = new Thread(this::pump, name);
      t.setDaemon(true);
      t.start();
    }

    boolean ended() {
      return ended;
    }

    /** Waits for the next frame: {@code end} recognizes its trailer at the end of the stream. */
    synchronized CompletableFuture<Framed> next(
        Function<String, String> end, OutputListener listener) {
      this.pending = new CompletableFuture<>();
      this.end = end;
      this.listener = listener;
      CompletableFuture<Framed> p = pending;
      if (ended) {
        p.completeExceptionally(new ShellEnded("the remote shell ended", failure));
      }
      return p;
    }

    /** The pid reported after {@code pidMark} in what has been read so far, or null. */
    synchronized Integer pidAfter(String pidMark) {
      String seen = kept.toString(StandardCharsets.UTF_8) + tail;
      int at = seen.indexOf(pidMark);
      if (at < 0) {
        return null;
      }
      int start = at + pidMark.length();
      int stop = start;
      while (stop < seen.length() && Character.isDigit(seen.charAt(stop))) {
        stop++;
      }
      return stop > start ? Integer.valueOf(seen.substring(start, stop)) : null;
    }

    private void pump() {
      byte[] buf = new byte[16384];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          received(buf, n);
        }
      } catch (IOException e) {
        synchronized (this) {
          failure = e;
        }
      }
      synchronized (this) {
        ended = true;
        if (pending != null && !pending.isDone()) {
          pending.completeExceptionally(new ShellEnded("the remote shell ended", failure));
        }
      }
    }

    /** The tail window: long enough for any trailer (marker, space, exit code, newlines). */
    private static final int TAIL = 96;

    private synchronized void received(byte[] buf, int n) {
      // Bytes go to the tail window first (as Latin-1, one char per byte, so the split is exact);
      // what leaves the window is kept, up to the capture limit.
      for (int i = 0; i < n; i++) {
        char c = (char) (buf[i] & 0xff);
        tail.append(c);
        if (c == '\n') {
          lineDone();
        } else if (line.length() < dev.orchestrator.transport.OutputCapture.MAX_LINE) {
          line.append(c);
        }
      }
      if (end != null) {
        String trailer = end.apply(tail.toString());
        if (trailer != null) {
          String before = tail.substring(0, tail.length() - trailer.length());
          keep(before);
          String text = kept.toString(StandardCharsets.UTF_8);
          // The marker follows a newline the shell added: drop it, the command's output is exact.
          if (dropped > 0) {
            text += "\n[orchestrator: " + dropped + " more bytes not kept]\n";
          }
          kept.reset();
          tail.setLength(0);
          dropped = 0;
          // The newline before the marker is the shell's: one of the empty lines held back.
          for (int i = 1; i < pendingEmpty; i++) {
            listener.line(kind, "");
          }
          pendingEmpty = 0;
          line.setLength(0);
          end = null;
          pending.complete(new Framed(text, trailer));
          return;
        }
      }
      if (tail.length() > TAIL) {
        keep(tail.substring(0, tail.length() - TAIL));
        tail.delete(0, tail.length() - TAIL);
      }
    }

    /**
     * A line is complete: give it to the listener, unless it is one of the shell's own lines
     * (marker or pid). Empty lines wait for the next line, since the last may be the newline the
     * shell puts before its marker.
     */
    private void lineDone() {
      String l = line.toString();
      line.setLength(0);
      int own = l.indexOf(ours);
      if (own >= 0) {
        l = l.substring(0, own);
        if (l.isEmpty()) {
          return;
        }
      }
      if (l.isEmpty()) {
        pendingEmpty++;
        return;
      }
      for (; pendingEmpty > 0; pendingEmpty--) {
        listener.line(kind, "");
      }
      listener.line(
          kind, new String(l.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private void keep(String latin1) {
      byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
      int room = Math.max(0, ExecResult.MAX_CAPTURE - kept.size());
      int k = Math.min(room, bytes.length);
      kept.write(bytes, 0, k);
      dropped += bytes.length - k;
    }
  }
}
