package dev.orchestrator.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * The users file as the console reads it: read again when its modification time or size changes, so
 * that an admin's {@code orchestrator users add} counts without a restart. A file that became
 * invalid keeps the last valid users (the error goes to the caller once per change).
 */
final class UsersFile {
  private final Path file;
  private Users users;
  private FileTime modified;
  private long size = -1;

  UsersFile(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /**
   * The users as the file says now.
   *
   * @throws dev.orchestrator.common.InputException when the file is missing or invalid and was
   *     never read
   */
  synchronized Users current() {
    FileTime m;
    long s;
    try {
      m = Files.getLastModifiedTime(file);
      s = Files.size(file);
    } catch (IOException e) {
      m = null;
      s = -1;
    }
    if (users == null || !Objects.equals(m, modified) || s != size) {
      try {
        users = Users.load(file);
      } catch (RuntimeException e) {
        if (users == null) {
          throw e;
        }
      }
      modified = m;
      size = s;
    }
    return users;
  }
}
