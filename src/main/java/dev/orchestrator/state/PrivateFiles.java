package dev.orchestrator.state;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The state store holds command output and registered values: its folders are created 0700 and its
 * files 0600, so other users of the controller cannot read them. No-ops where the file system has
 * no POSIX permissions.
 */
public final class PrivateFiles {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PrivateFiles() {}

  /** Creates {@code dir} and its missing parents, each new one 0700; returns it. */
  public static Path directories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return dir;
    }
    if (absolute.getParent() != null) {
      directories(absolute.getParent());
    }
    if (POSIX) {
      Files.createDirectories(
          absolute,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(absolute);
    }
    return dir;
  }

  /**
   * Creates an empty file readable by its owner only (0600 from the start, no window where it is
   * readable by others); an existing file is kept and restricted.
   *
   * @throws IOException if the file cannot be created
   */
  public static Path createFile(Path file) throws IOException {
    try {
      if (POSIX) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      restrict(file);
    }
    return file;
  }

  /**
   * Opens a file for writing, created 0600 in the same call (one system call: no window where it is
   * readable by others), emptied if it exists.
   *
   * @throws IOException if the file cannot be opened
   */
  public static java.nio.channels.FileChannel openNew(Path file) throws IOException {
    java.util.Set<java.nio.file.OpenOption> options =
        java.util.Set.of(
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    java.nio.channels.FileChannel ch =
        POSIX
            ? java.nio.channels.FileChannel.open(
                file,
                options,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : java.nio.channels.FileChannel.open(file, options);
    return ch;
  }

  /** Restricts an existing file to its owner (0600). */
  public static void restrict(Path file) throws IOException {
    if (POSIX && Files.exists(file)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
