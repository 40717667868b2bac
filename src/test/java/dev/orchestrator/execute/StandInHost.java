package dev.orchestrator.execute;

import dev.orchestrator.template.ShellTemplate;
import dev.orchestrator.transport.ExecResult;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway "host" in a temp folder for the scripts of the system modules: its own {@code HOME},
 * and the stand-ins of {@code src/test/resources/standins} (such as {@code systemctl}) first on
 * {@code PATH}; scripts run there with {@code /bin/sh} (dash), as a host's login shell would.
 */
final class StandInHost implements AutoCloseable {
  private final Path dir;

  private StandInHost(Path dir) {
    this.dir = dir;
  }

  /** Makes a host with the named stand-ins installed. */
  static StandInHost with(String... standIns) throws IOException {
    Path dir = Files.createTempDirectory("standin-host");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String name : standIns) {
      try (InputStream in = StandInHost.class.getResourceAsStream("/standins/" + name)) {
        Files.copy(in, bin.resolve(name));
      }
      if (!bin.resolve(name).toFile().setExecutable(true, false)) {
        throw new IOException("cannot make " + name + " executable");
      }
    }
    return new StandInHost(dir);
  }

  /** The host's home folder. */
  Path home() {
    return dir;
  }

  /** Defines a unit of the stand-in systemctl, stopped and disabled. */
  StandInHost unit(String name) throws IOException {
    Path units = Files.createDirectories(dir.resolve(".standin-systemd/units"));
    Files.writeString(units.resolve(name), "");
    return this;
  }

  /** The stand-in systemctl's state files of {@code kind} ({@code active}, {@code enabled}...). */
  boolean has(String kind, String unit) {
    return Files.exists(dir.resolve(".standin-systemd").resolve(kind).resolve(unit));
  }

  /** The stand-in systemctl's log of changing commands, empty when none ran. */
  String log() throws IOException {
    Path log = dir.resolve(".standin-systemd/log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Runs a module's script as the host's shell would, its values exported first. */
  ExecResult run(ShellTemplate script) throws IOException, InterruptedException {
    String command = CommandBuilder.exports(script.values()) + script.text();
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", dir.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", dir.toString());
    Path out = Files.createTempFile("out", ".txt");
    Path err = Files.createTempFile("err", ".txt");
    Path in = Files.createTempFile("in", ".sh");
    Files.writeString(in, command, StandardCharsets.UTF_8);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(in.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
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

  /** Whether any file named {@code name} exists under the host's home. */
  boolean contains(String name) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().equals(name));
    }
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
