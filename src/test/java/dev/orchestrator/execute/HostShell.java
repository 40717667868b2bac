package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import dev.orchestrator.transport.StdinScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a module's script as a host's shell would receive it: exported values, then the text, as one
 * {@link StdinScript#line} read by {@code /bin/sh -s}, in a folder, with a small environment.
 */
final class HostShell {
  private HostShell() {}

  static ExecResult run(ShellTemplate script, Path dir, Map<String, String> env) throws Exception {
    String command = CommandBuilder.exports(script.values()) + script.text();
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Path out = Files.createTempFile("out", ".txt");
    Path err = Files.createTempFile("err", ".txt");
    Path in = Files.createTempFile("in", ".sh");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(in.toFile());
      Files.write(in, StdinScript.bytes(command));
      long start = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the script did not end: " + command);
      }
      return new ExecResult(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8),
          Duration.ofNanos(System.nanoTime() - start),
          false);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      Files.deleteIfExists(in);
    }
  }
}
