package dev.orchestrator.common;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A place in an input file, as shown to users: {@code file:line:column}, both 1-based.
 *
 * @param file the file, as the user named it
 * @param line 1-based line number
 * @param column 1-based column number
 */
public record SourceLocation(Path file, int line, int column) {
  /** Validates the fields. */
  public SourceLocation {
    Objects.requireNonNull(file, "file");
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
