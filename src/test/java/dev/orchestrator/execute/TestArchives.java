package dev.orchestrator.execute;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Gzipped tar archives for {@link Unarchive}'s tests, written entry by entry (commons-compress), so
 * that an entry may be anything a hostile archive holds: {@code ../x}, {@code /x}, a link.
 */
final class TestArchives {
  private final TarArchiveOutputStream tar;

  private TestArchives(OutputStream out) {
    tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  /** Writes a {@code .tgz} to {@code file} with what {@code entries} adds. */
  static Path tgz(Path file, Entries entries) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      TestArchives a = new TestArchives(out);
      entries.add(a);
      a.tar.finish();
    }
    return file;
  }

  /** What an archive holds. */
  @FunctionalInterface
  interface Entries {
    /** Adds the entries. */
    void add(TestArchives a) throws IOException;
  }

  /** A file with {@code text}, mode 0644. */
  TestArchives file(String name, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(b.length);
    e.setMode(0100644);
    e.setModTime(1_600_000_000_000L);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
    return this;
  }

  /** A folder, mode 0755. */
  TestArchives dir(String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
    e.setMode(040755);
    e.setModTime(1_600_000_000_000L);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  /** A symbolic link to {@code target}. */
  TestArchives link(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    e.setModTime(1_600_000_000_000L);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }
}
