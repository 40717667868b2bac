package dev.orchestrator.transport.ssh;

import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.OutputCapture;
import dev.orchestrator.transport.OutputListener;
import dev.orchestrator.transport.TerminalDialog;
import dev.orchestrator.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.PTYMode;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * {@link dev.orchestrator.transport.Connection#execInTerminal} over SSH: an exec channel with a
 * pseudo-terminal (RFC 4254 section 6.2, "pty-req") whose modes make it a plain pipe in both
 * directions: no echo ({@code ECHO} off, so a typed password never comes back), no output
 * translation ({@code OPOST} off: no {@code \r} before {@code \n}), no signals, flow control or
 * line editing ({@code ISIG}, {@code IXON}, {@code IEXTEN} off, every special character disabled
 * with 255, RFC 4254 section 8), so that a password's control characters reach the program as data.
 * Only a newline ends a line.
 */
final class TerminalExec {
  private TerminalExec() {}

  /** The most bytes read before the dialog says the command started: 64 KiB. */
  static final int MAX_TRANSCRIPT = 64 * 1024;

  /** The terminal modes described above. */
  static final Map<PTYMode, Integer> MODES = modes();

  private static Map<PTYMode, Integer> modes() {
    Map<PTYMode, Integer> m = new EnumMap<>(PTYMode.class);
    for (PTYMode special :
        new PTYMode[] {
          PTYMode.VINTR, PTYMode.VQUIT, PTYMode.VERASE, PTYMode.VKILL, PTYMode.VEOF,
          PTYMode.VEOL, PTYMode.VEOL2, PTYMode.VSTART, PTYMode.VSTOP, PTYMode.VSUSP,
          PTYMode.VDSUSP, PTYMode.VREPRINT, PTYMode.VWERASE, PTYMode.VLNEXT, PTYMode.VFLUSH,
          PTYMode.VSWTCH, PTYMode.VSTATUS, PTYMode.VDISCARD
        }) {
      m.put(special, 255);
    }
    for (PTYMode off :
        new PTYMode[] {
          PTYMode.ECHO, PTYMode.ECHOE, PTYMode.ECHOK, PTYMode.ECHONL, PTYMode.ECHOCTL,
          PTYMode.ECHOKE, PTYMode.OPOST, PTYMode.ONLCR, PTYMode.OCRNL, PTYMode.ISIG,
          PTYMode.IEXTEN, PTYMode.IXON, PTYMode.IXOFF, PTYMode.IXANY, PTYMode.ICRNL,
          PTYMode.INLCR, PTYMode.IGNCR, PTYMode.ISTRIP, PTYMode.IUCLC, PTYMode.IMAXBEL
        }) {
      m.put(off, 0);
    }
    m.put(PTYMode.ICANON, 1);
    m.put(PTYMode.CS8, 1);
    return m;
  }

  /**
   * Runs {@code command} on a terminal, answering prompts with {@code dialog}: the result says
   * timed out when the command did not start within the dialog's {@link TerminalDialog#startWithin}
   * or did not end within {@code timeout} (counted from the start).
   *
   * @throws TransportException if the connection fails
   */
  static ExecResult run(
      SSHClient client,
      String where,
      String command,
      TerminalDialog dialog,
      Optional<Duration> timeout,
      OutputListener listener)
      throws TransportException {
    long start = System.nanoTime();
    try (Session session = client.startSession()) {
      try {
        session.allocatePTY("dumb", 80, 24, 0, 0, MODES);
      } catch (ConnectionException refused) {
        if (!client.isConnected()) {
          throw refused;
        }
        return new ExecResult(
            -1,
            "",
            "[orchestrator: "
                + where
                + " refused a terminal (pty-req: PermitTTY no in sshd_config, or no-pty in"
                + " authorized_keys), which su needs to read a password: allow one for this"
                + " user, or use become_method: sudo]\n",
            Duration.ofNanos(System.nanoTime() - start),
            false);
      }
      Session.Command cmd = session.exec(command);
      CompletableFuture<String> err =
          OutputCapture.drain(
              cmd.getErrorStream(), l -> listener.line(OutputListener.Stream.STDERR, l));
      java.io.PipedInputStream output = new java.io.PipedInputStream(16384);
      java.io.PipedOutputStream toOutput = new java.io.PipedOutputStream(output);
      CompletableFuture<String> out =
          OutputCapture.drain(output, l -> listener.line(OutputListener.Stream.STDOUT, l));
      CountDownLatch started = new CountDownLatch(1);
      Thread talker =
          new Thread(
              () ->
                  converse(
                      cmd, cmd.getInputStream(), cmd.getOutputStream(), dialog, toOutput, started),
              "terminal-dialog");
      talker.setDaemon(true);
      talker.start();
      boolean timedOut = false;
      long startWithin = dialog.startWithin().toNanos();
      long stepWithin = timeout.map(Duration::toNanos).orElse(Long.MAX_VALUE);
      if (!started.await(Math.min(startWithin, stepWithin), TimeUnit.NANOSECONDS)) {
        timedOut = true; // the dialog never saw the command start: nothing more will come
      } else if (timeout.isPresent()) {
        long left = stepWithin - (System.nanoTime() - start);
        try {
          cmd.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)), TimeUnit.MILLISECONDS);
        } catch (ConnectionException e) {
          if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)) {
            throw e;
          }
        }
        timedOut = cmd.isOpen() && cmd.getExitStatus() == null;
      } else {
        cmd.join();
      }
      if (timedOut && cmd.isOpen() && cmd.getExitStatus() == null) {
        try {
          cmd.close(); // the terminal hangs up: its program gets SIGHUP
        } catch (IOException notClosed) {
          // the server may wait for its program; the caller's result says timed out either way
        }
      } else {
        timedOut = false; // it ended by itself meanwhile
      }
      long wait = timedOut ? 5 : 30; // after a timeout, what arrived so far, if anything
      talker.join(TimeUnit.SECONDS.toMillis(wait));
      String stdout = timedOut ? out.getNow("") : out.get(wait, TimeUnit.SECONDS);
      String stderr = timedOut ? err.getNow("") : err.get(wait, TimeUnit.SECONDS);
      if (!client.isConnected()) {
        throw new TransportException(
            TransportException.Kind.LOST,
            "the connection to " + where + " was lost while running a command",
            null);
      }
      Integer status = cmd.getExitStatus();
      return new ExecResult(
          timedOut || status == null ? -1 : status,
          stdout,
          stderr,
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

  /**
   * Reads the terminal: until the dialog says the command started, into a transcript shown to the
   * dialog after each read; then into {@code output}. Closes {@code output} at the end. Counts
   * {@code startedOrEnded} down once the command started or the terminal ended.
   */
  private static void converse(
      Session.Command cmd,
      InputStream terminal,
      OutputStream typing,
      TerminalDialog dialog,
      OutputStream output,
      CountDownLatch startedOrEnded) {
    ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    boolean started = false;
    byte[] buf = new byte[8192];
    try (output) {
      int n;
      while ((n = terminal.read(buf)) >= 0) {
        if (started) {
          output.write(buf, 0, n);
          continue;
        }
        transcript.write(buf, 0, n);
        String text = transcript.toString(StandardCharsets.UTF_8);
        TerminalDialog.Reply reply = dialog.next(text);
        if (reply instanceof TerminalDialog.Answer answer) {
          typing.write(answer.text().getBytes(StandardCharsets.UTF_8));
          typing.flush();
        } else if (reply instanceof TerminalDialog.Started s) {
          started = true;
          startedOrEnded.countDown();
          // the bytes after the marker, as they came (a character may be cut at the read's end)
          int from =
              text.substring(0, Math.min(s.outputFrom(), text.length()))
                  .getBytes(StandardCharsets.UTF_8)
                  .length;
          byte[] all = transcript.toByteArray();
          output.write(all, Math.min(from, all.length), Math.max(0, all.length - from));
        } else if (reply instanceof TerminalDialog.Abandon || transcript.size() > MAX_TRANSCRIPT) {
          cmd.close(); // given up, or what the dialog waits for never came
          break;
        }
      }
    } catch (IOException e) {
      // The channel closed (timeout, abandon, lost connection): the caller sees which.
    } finally {
      startedOrEnded.countDown();
    }
  }
}
