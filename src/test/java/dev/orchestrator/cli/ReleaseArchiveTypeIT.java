package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.sandbox.SandboxFleet;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Nextcloud playbook's code swap reads the release archive by its content, not its name (issue
 * 12, "Bugs found"): Nextcloud publishes zips (the update server only offers zips), and the default
 * {@code release_archive} is named {@code .tar.bz2}.
 */
class ReleaseArchiveTypeIT {
  private static final String PLAYBOOK = Path.of("playbooks/nextcloud-update.yml").toString();

  @TempDir Path dir;

  /** Rewrites the sandbox's release (a tar.bz2) as {@code format}, under the same .tar.bz2 name. */
  private static void repack(Path archive, String format) throws Exception {
    record Entry(TarArchiveEntry header, byte[] content) {}
    List<Entry> entries = new ArrayList<>();
    try (InputStream in = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(new BZip2CompressorInputStream(in))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        entries.add(new Entry(e, tar.readAllBytes()));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (format.equals("zip")) {
      try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
        for (Entry e : entries) {
          ZipArchiveEntry z = new ZipArchiveEntry(e.header().getName());
          z.setUnixMode(e.header().getMode());
          zip.putArchiveEntry(z);
          zip.write(e.content());
          zip.closeArchiveEntry();
        }
      }
    } else {
      try (TarArchiveOutputStream tar =
          new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Entry e : entries) {
          tar.putArchiveEntry(e.header());
          tar.write(e.content());
          tar.closeArchiveEntry();
        }
      }
    }
    Files.write(archive, bytes.toByteArray());
    Files.writeString(
        archive.resolveSibling(archive.getFileName() + ".sha256"),
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()))
            + "  "
            + archive.getFileName()
            + "\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"zip", "tar.gz"})
  void aReleaseIsUnpackedByItsContentWhateverItsName(String format) throws Exception {
    // given a QA host and a release that is a zip (or a tar.gz) behind the default .tar.bz2 name
    SandboxFleet fleet = SandboxFleet.create(dir.resolve("sb"), 1, 1, "27.1.11", "28.0.14");
    repack(dir.resolve("sb/releases/nextcloud-28.0.14.tar.bz2"), format);
    try (SandboxFleet.Servers servers = fleet.start()) {
      // when the playbook runs
      Cli.Result r =
          Cli.run(
              "run",
              PLAYBOOK,
              "-i",
              fleet.inventory().toString(),
              "--known-hosts",
              fleet.knownHosts().toString(),
              "--limit",
              "qa",
              "--state-dir",
              dir.resolve("state").toString());
      // then the code swap unpacks it and the host runs the new version
      assertEquals(0, r.exitCode(), r.out() + r.err());
      Path root = fleet.nextcloudRoot("qa-1");
      assertTrue(
          Files.readString(root.resolve("version.php")).contains("OC_VersionString = '28.0.14'"),
          Files.readString(root.resolve("version.php")));
      assertTrue(
          Files.readString(root.resolve("config/config.php"))
              .contains("'version' => '28.0.14.0',"));
    }
  }
}
