package dev.orchestrator.state;

import dev.orchestrator.common.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The lines of a run's {@code journal.jsonl} as the file store reads them. It must be a regular
 * file (a FIFO would block the reader for ever, a folder cannot be read): anything else is refused,
 * named. It is written as UTF-8; a line that is not (edited in another encoding, say Latin-1) is
 * one unreadable line, named with its line number and byte offset, like a line of damaged JSON
 * (README, "State store and checkpoints").
 */
final class JournalFile {
  private JournalFile() {}

  /**
   * Reads the journal's lines.
   *
   * @param journal the run's journal file
   * @param undecodable where a line that is not valid UTF-8 is described ({@code FILE:LINE: ...}),
   *     by its line number (from 1); that line is returned empty
   * @return the lines, split at {@code \n} (a {@code \r} before it dropped)
   * @throws InputException when the journal is not a regular file
   * @throws IOException when it cannot be read
   */
  static List<String> lines(Path journal, java.util.Map<Integer, String> undecodable)
      throws IOException {
    return lines(
        journal,
        undecodable,
        Math.min(Runtime.getRuntime().maxMemory() / 4, Integer.MAX_VALUE - 8));
  }

  /**
   * Reads the journal's lines, refusing one of more than {@code maxBytes}: it is read whole, and
   * its lines take about three times its size again (an attack's 3 GB journal ended {@code status}
   * and the console's run list in an OutOfMemoryError).
   *
   * @throws InputException when the journal is not a regular file or is larger than {@code
   *     maxBytes}
   */
  static List<String> lines(Path journal, java.util.Map<Integer, String> undecodable, long maxBytes)
      throws IOException {
    BasicFileAttributes a = Files.readAttributes(journal, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new InputException(
          journal
              + " is "
              + (a.isDirectory() ? "a folder" : "not a regular file (a FIFO, socket or device)")
              + ": a run's journal is a file orchestrator writes, and is not read from anything"
              + " else",
          "put the run's journal file back there (from a backup), or move the run's folder "
              + journal.getParent()
              + " out of the state folder");
    }
    if (a.size() > maxBytes) {
      throw new InputException(
          journal
              + " is "
              + (a.size() < 1 << 20 ? a.size() + " bytes" : (a.size() >> 20) + " MiB")
              + ", more than this controller can read with its memory ("
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB of heap; reading a journal takes about four times its size)",
          "if it is the run's real journal, give the controller more memory, e.g."
              + " ORCHESTRATOR_JAVA_OPTS=-Xmx8g ./orchestrator ...; if something else made it"
              + " grow, put the run's journal back from a backup");
    }
    byte[] bytes = Files.readAllBytes(journal);
    List<int[]> spans = new ArrayList<>(); // [start, end) of each line, without its \n
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        spans.add(new int[] {start, i});
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      spans.add(new int[] {start, bytes.length});
    }
    int last = spans.size();
    while (last > 0 && blank(bytes, spans.get(last - 1))) {
      last--;
    }
    List<String> lines = new ArrayList<>(spans.size());
    for (int n = 1; n <= spans.size(); n++) {
      int[] s = spans.get(n - 1);
      int end = s[1] > s[0] && bytes[s[1] - 1] == '\r' ? s[1] - 1 : s[1];
      CharsetDecoder d =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      ByteBuffer in = ByteBuffer.wrap(bytes, s[0], end - s[0]);
      CharBuffer out = CharBuffer.allocate(end - s[0]);
      CoderResult r = d.decode(in, out, true);
      if (r.isError()) {
        int at = in.position();
        boolean torn = n == last && incompleteAtEnd(bytes, s[0], end);
        undecodable.put(n, notUtf8(journal, n, torn, at - s[0], at, bytes[at]));
        lines.add("");
        continue;
      }
      d.flush(out);
      lines.add(out.flip().toString());
    }
    return lines;
  }

  /**
   * Whether the bytes are valid UTF-8 but for a character begun and not finished at their end: what
   * a crash while writing the last line leaves.
   */
  private static boolean incompleteAtEnd(byte[] bytes, int start, int end) {
    ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
    CoderResult r =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(in, CharBuffer.allocate(end - start), false);
    return r.isUnderflow() && in.hasRemaining();
  }

  /** {@code FILE:LINE: damaged: not valid UTF-8 ...}, or cut short when a crash tore it. */
  static String notUtf8(Path journal, int line, boolean torn, int column, long offset, byte b) {
    return journal
        + ":"
        + line
        + ": "
        + (torn
            ? "cut short (the controller stopped while writing it)"
            : "damaged: not valid UTF-8: byte 0x"
                + HexFormat.of().toHexDigits(b)
                + " at byte "
                + (column + 1)
                + " of the line (offset "
                + offset
                + " in the file); orchestrator writes its journal as UTF-8, so the line was"
                + " changed by something else (an editor saving Latin-1?): restore the file from"
                + " a backup, or convert it, e.g. iconv -f ISO-8859-1 -t UTF-8");
  }

  /** The number (from 1) of the last line that is not blank; 0 when there is none. */
  static int lastNonBlank(List<String> lines) {
    int last = lines.size();
    while (last > 0 && lines.get(last - 1).isBlank()) {
      last--;
    }
    return last;
  }

  private static boolean blank(byte[] bytes, int[] span) {
    for (int i = span[0]; i < span[1]; i++) {
      if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}
