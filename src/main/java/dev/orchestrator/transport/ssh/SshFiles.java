package dev.orchestrator.transport.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The files SSH reads on the controller (known_hosts, private keys) must be regular files of a
 * sensible size on a real file system: a device ({@code /dev/zero}), a pipe, a folder or a kernel
 * pseudo-file ({@code /proc/self/environ}, which holds the controller's environment) is refused
 * before a byte of it is read, so it can neither exhaust memory nor have its content echoed.
 */
public final class SshFiles {
  /** The largest known_hosts file read: 16 MiB (OpenSSH's own are a few KiB per host). */
  public static final long MAX_KNOWN_HOSTS_BYTES = 16L << 20;

  /** The largest private key file read: 1 MiB (an RSA-16384 key is under 13 KiB). */
  public static final long MAX_KEY_BYTES = 1L << 20;

  /** Kernel pseudo file systems, whose files claim to be regular but are not data on a disk. */
  private static final Set<String> PSEUDO =
      Set.of(
          "proc",
          "sysfs",
          "devtmpfs",
          "devpts",
          "debugfs",
          "securityfs",
          "tracefs",
          "configfs",
          "cgroup",
          "cgroup2",
          "efivarfs",
          "bpf",
          "pstore",
          "fusectl",
          "binfmt_misc",
          "mqueue");

  private SshFiles() {}

  /**
   * Why a file (following symbolic links) cannot serve as an SSH input file, if it cannot.
   *
   * @param file the file, which exists
   * @param maxBytes the largest size accepted
   * @return e.g. {@code "it is not a regular file (a device, a pipe or a folder)"}, or empty
   */
  public static Optional<String> problem(Path file, long maxBytes) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return Optional.of("it cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (!attributes.isRegularFile()) {
      return Optional.of(
          "it is not a regular file ("
              + (attributes.isDirectory() ? "a folder" : "a device, a pipe or a socket")
              + ")");
    }
    try {
      String type = Files.getFileStore(file).type().toLowerCase(Locale.ROOT);
      if (PSEUDO.contains(type)) {
        return Optional.of(
            "it is not a regular file (a kernel pseudo-file on " + type + ", not data on a disk)");
      }
    } catch (IOException e) {
      return Optional.of("it cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (attributes.size() > maxBytes) {
      return Optional.of(
          "it is " + attributes.size() + " bytes, more than the " + maxBytes + " accepted");
    }
    return Optional.empty();
  }
}
