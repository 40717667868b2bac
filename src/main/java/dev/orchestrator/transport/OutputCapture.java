package dev.orchestrator.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Drains a command's output stream on a background thread, keeping at most {@link
 * ExecResult#MAX_CAPTURE} characters (the rest is counted and dropped, so a chatty command cannot
 * exhaust the controller's memory). Shared by the transports.
 */
public final class OutputCapture {
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "output-reader");
            t.setDaemon(true);
            return t;
          });

  private OutputCapture() {}

  /** Starts draining {@code in}; the future completes with the text at end of stream. */
  public static CompletableFuture<String> drain(InputStream in) {
    return drain(in, line -> {});
  }

  /**
   * Starts draining {@code in}, giving each line to {@code lines} as it arrives (the last one, if
   * it has no newline, at the end); the future completes with the whole text at end of stream.
   */
  public static CompletableFuture<String> drain(
      InputStream in, java.util.function.Consumer<String> lines) {
    return CompletableFuture.supplyAsync(
        () -> {
          StringBuilder out = new StringBuilder();
          StringBuilder line = new StringBuilder();
          long dropped = 0;
          char[] buf = new char[8192];
          try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = r.read(buf)) >= 0) {
              int keep = Math.max(0, Math.min(n, ExecResult.MAX_CAPTURE - out.length()));
              out.append(buf, 0, keep);
              dropped += n - keep;
              for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                  lines.accept(line.toString());
                  line.setLength(0);
                } else if (line.length() < MAX_LINE) {
                  line.append(buf[i]);
                }
              }
            }
          } catch (IOException e) {
            // The stream broke (connection lost or process killed): keep what was read.
          }
          if (line.length() > 0) {
            lines.accept(line.toString());
          }
          if (dropped > 0) {
            out.append("\n[orchestrator: ").append(dropped).append(" more characters not kept]\n");
          }
          return out.toString();
        },
        READERS);
  }

  /** Lines given to listeners are cut at 8,192 characters (the captured output is not). */
  public static final int MAX_LINE = 8192;
}
