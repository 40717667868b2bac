package dev.orchestrator.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Reads the text files users give (playbooks, inventories, vars files, host lists) so that every
 * way a file can be wrong is an {@link InputException} that says what, where and what to do: a
 * missing file, a folder, an unreadable file, a file larger than {@link #MAX_BYTES} (read no
 * further than that, so {@code /dev/zero} is refused too), and bytes that are not UTF-8, reported
 * at the {@code line:column} of the first bad byte.
 */
public final class InputFiles {
  /** The largest input file read, in bytes (8 MiB): playbooks and inventories are far smaller. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  private InputFiles() {}

  /**
   * How messages name a file of a kind: {@code playbook} becomes {@code playbook file}, while a
   * kind that already says it ({@code users file}) stays as it is (never "the users file file").
   *
   * @param what what the file is, e.g. {@code playbook} or {@code secrets file}
   * @return the words for the file
   */
  public static String fileOf(String what) {
    return what.endsWith("file") ? what : what + " file";
  }

  /**
   * Reads a whole file as UTF-8 text, without a leading byte order mark (some editors write one;
   * YAML, INI and JSON files are read alike with or without it).
   *
   * @param file the file
   * @param what what the file is, for messages (e.g. "playbook")
   * @return the text
   * @throws InputException if the file is missing, a folder, unreadable, larger than {@link
   *     #MAX_BYTES} or not UTF-8 (with its {@code file:line:column})
   */
  public static String readText(Path file, String what) {
    if (isKernelFile(file)) {
      throw new InputException(
          "the " + what + " " + file + " is a file of the kernel (/proc, /sys), not a " + what,
          "name the " + fileOf(what) + " itself");
    }
    if (Files.isDirectory(file)) {
      throw new InputException(
          "the " + what + " " + file + " is a folder, not a file",
          "name the " + fileOf(what) + " itself (a .yml file)");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new InputException(
          "the " + fileOf(what) + " " + file + " does not exist",
          "check the path (it is resolved against the current directory "
              + Path.of("").toAbsolutePath()
              + ")");
    } catch (AccessDeniedException e) {
      throw new InputException(
          "cannot read the " + fileOf(what) + " " + file + ": permission denied",
          "make it readable for this user (ls -l " + file + ")");
    } catch (NotDirectoryException e) {
      throw notADirectory(file, what);
    } catch (FileSystemException e) {
      if ("Not a directory".equals(e.getReason())) {
        throw notADirectory(file, what);
      }
      throw new InputException(
          "cannot read the " + fileOf(what) + " " + file + ": " + e.getReason(),
          "check that it is a readable file");
    } catch (IOException e) {
      throw new InputException(
          "cannot read the " + fileOf(what) + " " + file + ": " + e.getMessage(),
          "check that it is a readable file");
    }
    if (bytes.length > MAX_BYTES) {
      throw new InputException(
          "the " + fileOf(what) + " " + file + " is larger than " + (MAX_BYTES >> 20) + " MiB",
          "is it the right file? a " + what + " is a small YAML text file");
    }
    String text = decode(file, what, bytes);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /**
   * Whether a path is, once its links are followed, under {@code /proc} or {@code /sys}: files that
   * describe the running system (a process's environment, its memory), never input; an error
   * quoting their content could print secrets.
   */
  public static boolean isKernelFile(Path file) {
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      real = file.toAbsolutePath().normalize();
    }
    return real.startsWith("/proc") || real.startsWith("/sys");
  }

  private static InputException notADirectory(Path file, String what) {
    return new InputException(
        "the " + fileOf(what) + " " + file + " does not exist: a part of its path is a file",
        "check the path");
  }

  /** Decodes strict UTF-8, reporting the line and column of the first malformed byte. */
  static String decode(Path file, String what, byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int bad = in.position();
      int line = 1;
      for (int i = 0; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      out.flip();
      String decoded = out.toString();
      int lastNewline = decoded.lastIndexOf('\n');
      int column = decoded.codePointCount(lastNewline + 1, decoded.length()) + 1;
      boolean utf16 =
          bytes.length >= 2
              && (bytes[0] == (byte) 0xff && bytes[1] == (byte) 0xfe
                  || bytes[0] == (byte) 0xfe && bytes[1] == (byte) 0xff);
      if (utf16) {
        throw new InputException(
            new SourceLocation(file, 1, 1),
            "the " + what + " is UTF-16 text (it starts with a UTF-16 byte order mark), not UTF-8",
            "save the file as UTF-8, e.g. iconv -f utf-16 -t utf-8 " + file + " > fixed.yml");
      }
      boolean binary = false;
      for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
        binary |= bytes[i] == 0;
      }
      throw new InputException(
          new SourceLocation(file, line, column),
          (binary ? "this is a binary file, not a " + what : "the " + what + " is not UTF-8 text")
              + String.format(
                  ": byte 0x%02X (at offset %d) is not valid UTF-8", bytes[bad] & 0xff, bad),
          binary
              ? "name the " + fileOf(what) + " (YAML text)"
              : "save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 "
                  + file
                  + " > fixed.yml (Latin-1 accents such as 'é' are the usual cause)");
    }
    out.flip();
    return out.toString();
  }
}
