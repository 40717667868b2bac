package dev.orchestrator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A run's {@code run.json} as the file store reads it: a file that is not a run's info (empty, cut
 * short, an unknown status) is named with its line and column, and what to do, never a bug.
 */
final class RunInfoFile {
  private RunInfoFile() {}

  /**
   * Reads a run's {@code run.json}.
   *
   * @throws InputException naming the file, the line and column where it is not a run's info
   *     (empty, cut short, an unknown status), and what to do
   * @throws IOException when it cannot be read
   */
  static RunInfo read(Path file) throws IOException {
    try {
      return Json.MAPPER.readValue(file.toFile(), RunInfo.class);
    } catch (JsonProcessingException e) {
      throw new InputException(damaged(file, e), hint(file));
    }
  }

  /** {@code FILE:LINE:COLUMN: not a run's info: reason}, the reason's first line only. */
  static String damaged(Path file, JsonProcessingException e) {
    var at = e.getLocation();
    String where =
        at == null || at.getLineNr() < 1
            ? file.toString()
            : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
    return where + ": not a run's info: " + firstLine(e.getOriginalMessage());
  }

  /**
   * Where and why a journal line cannot be read: {@code FILE:LINE: cut short (...)} for the last
   * line (a crash while writing it), else {@code FILE:LINE: damaged: reason}.
   */
  static String unreadableLine(Path journal, int line, boolean last, JsonProcessingException e) {
    return journal
        + ":"
        + line
        + ": "
        + (last
            ? "cut short (the controller stopped while writing it)"
            : "damaged: " + firstLine(e.getOriginalMessage()));
  }

  private static String hint(Path file) {
    return "the file is damaged (edited by hand, or written by a newer version); restore it from a"
        + " backup, or move its run folder "
        + file.getParent()
        + " out of the state folder (its journal.jsonl and logs/ stay readable there)";
  }

  private static String firstLine(String message) {
    String m = message == null ? "" : message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
