package dev.orchestrator.execute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Identifies a process of this machine by its pid and its start time, so that a recycled pid is not
 * mistaken for the process that once had it. On Linux the start time is field 22 of {@code
 * /proc/PID/stat} ({@code starttime}, clock ticks since boot: stable, unlike wall-clock times
 * derived from it); elsewhere the JDK's {@link ProcessHandle.Info#startInstant()} in milliseconds.
 * Each form is tagged ({@code proc:…}, {@code ms:…}) and only equal tags are compared.
 */
final class ProcessIdentity {
  private static final Path PROC = Path.of("/proc");

  private ProcessIdentity() {}

  /** This process's start time, or empty when the platform does not tell. */
  static Optional<String> current() {
    return startOf(ProcessHandle.current().pid());
  }

  /** The start time of process {@code pid}, or empty when there is none or it cannot be read. */
  static Optional<String> startOf(long pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    if (Files.isDirectory(PROC.resolve("self"))) {
      try {
        String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last
        // ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return fields.length > 19 && fields[19].matches("[0-9]+")
            ? Optional.of("proc:" + fields[19])
            : Optional.empty();
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
    return ProcessHandle.of(pid)
        .flatMap(p -> p.info().startInstant())
        .map(i -> "ms:" + i.toEpochMilli());
  }

  /**
   * Whether the process {@code pid}, which started at {@code start} (a value of {@link #startOf},
   * or empty when unknown), is provably gone from this machine: no process has that pid, or the one
   * that has it started at another time (the pid was recycled). Unknown means alive.
   */
  static boolean gone(long pid, String start) {
    if (pid <= 0) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return true;
    }
    if (start.isEmpty()) {
      return false;
    }
    Optional<String> now = startOf(pid);
    return now.isPresent() && sameForm(now.get(), start) && !now.get().equals(start);
  }

  private static boolean sameForm(String a, String b) {
    int ca = a.indexOf(':');
    int cb = b.indexOf(':');
    return ca > 0 && ca == cb && a.regionMatches(0, b, 0, ca);
  }
}
