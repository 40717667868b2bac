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
    return CompletableFuture.supplyAsync(
        () -> {
          StringBuilder out = new StringBuilder();
          long dropped = 0;
          char[] buf = new char[8192];
          try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = r.read(buf)) >= 0) {
              int keep = Math.max(0, Math.min(n, ExecResult.MAX_CAPTURE - out.length()));
              out.append(buf, 0, keep);
              dropped += n - keep;
            }
          } catch (IOException e) {
            // The stream broke (connection lost or process killed): keep what was read.
          }
          if (dropped > 0) {
            out.append("\n[orchestrator: ").append(dropped).append(" more characters not kept]\n");
          }
          return out.toString();
        },
        READERS);
  }
}
