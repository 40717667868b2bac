package dev.orchestrator.execute;

import dev.orchestrator.common.SourceLocation;
import dev.orchestrator.playbook.Step;
import dev.orchestrator.playbook.StepBecome;
import dev.orchestrator.playbook.StepExtras;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in for {@code sudo} (real sudo never asks root, who runs the tests, for a password): it
 * records its arguments in {@code args}, and with {@code -S} reads password lines from its stdin
 * one byte at a time, as sudo does, up to three tries against the file {@code password}, recording
 * each try in {@code tries}; then runs the command after {@code --} with the rest of its stdin.
 * With {@code -n} it fails as sudo does when a password is needed, unless the file {@code nopasswd}
 * exists.
 */
final class BecomeStandIn {
  final Path dir;
  final Path exe;

  BecomeStandIn(Path dir) throws Exception {
    this.dir = dir;
    this.exe = dir.resolve("sudo-stand-in");
    String d = dir.toString().replace("'", "'\\''");
    Files.writeString(
        exe,
        "#!/bin/sh\nd='"
            + d
            + "'\nprintf '%s\\n' \"$@\" >> \"$d/args\"\n"
            + "mode=n; for a in \"$@\"; do [ \"$a\" = -S ] && mode=S; done\n"
            + "if [ ! -f \"$d/nopasswd\" ]; then\n"
            + "  if [ $mode = n ]; then echo 'sudo: a password is required' >&2; exit 1; fi\n"
            + "  t=0; while :; do IFS= read -r pw || exit 1; printf '%s\\n' \"$pw\" >> \"$d/tries\";"
            + " [ \"$pw\" = \"$(cat \"$d/password\")\" ] && break; t=$((t+1));"
            + " [ $t -ge 3 ] && { echo 'sudo: 3 incorrect password attempts' >&2; exit 1; };"
            + " echo 'Sorry, try again.' >&2; done\n"
            + "fi\n"
            + "while [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"\n");
    exe.toFile().setExecutable(true);
  }

  void password(String password) throws Exception {
    Files.writeString(dir.resolve("password"), password, StandardCharsets.UTF_8);
  }

  String args() throws Exception {
    Path p = dir.resolve("args");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  String tries() throws Exception {
    Path p = dir.resolve("tries");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  /** A step with {@code become: true} and these become keys. */
  static Step step(StepBecome become) {
    return new Step(
        "s",
        "s",
        "x",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        Duration.ZERO,
        Optional.empty(),
        true,
        "www-data",
        Map.of(),
        dev.orchestrator.playbook.StepTraits.NONE,
        StepExtras.NONE.withFacts(false, become),
        new SourceLocation(Path.of("pb.yml"), 1, 1));
  }

  /** Runs a built command as the transports do: the script of a /bin/sh -s, on its stdin. */
  static Result run(String command, Path dir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").directory(dir.toFile());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(dev.orchestrator.transport.StdinScript.bytes(command));
    }
    var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    int rc = p.waitFor();
    return new Result(rc, out, err.get());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  record Result(int rc, String stdout, String stderr) {}
}
