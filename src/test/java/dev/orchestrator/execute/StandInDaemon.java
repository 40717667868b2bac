package dev.orchestrator.execute;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in daemon of {@code src/test/resources/standins} ({@code haproxy-stats}, {@code
 * nagios-cmd}) started for a test: the script returns once the daemon is ready and prints its
 * process id, which {@link #close} stops (that process only).
 */
public final class StandInDaemon implements AutoCloseable {
  private final long pid;

  private StandInDaemon(long pid) {
    this.pid = pid;
  }

  /** Starts stand-in {@code name} with {@code args}, its script copied into {@code dir}. */
  public static StandInDaemon start(Path dir, String name, String... args)
      throws IOException, InterruptedException {
    Path script = dir.resolve(name);
    if (!Files.exists(script)) {
      try (InputStream in = StandInDaemon.class.getResourceAsStream("/standins/" + name)) {
        Files.copy(in, script);
      }
    }
    List<String> command = new ArrayList<>(List.of("python3", script.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(name + " did not start");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return new StandInDaemon(Long.parseLong(out));
  }

  @Override
  public void close() {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
  }
}
